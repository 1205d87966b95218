using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>
/// The HTML report's pictures, as inline SVG with classes for colour (so the dark scheme and print follow the stylesheet)
/// and a <c>title</c> that says in words what each one shows: a value against its limits, a trend, a percentile curve, a
/// watch's timeline.
/// </summary>
internal static class HtmlCharts
{
    private const double BarWidth = 180;

    /// <summary>A horizontal bar of <paramref name="value"/> on [low, high], with the limit, the warning limit and the baseline as marks.</summary>
    public static void Bar(StringBuilder sb, double value, GateStatus status, double low, double high, double? limit, double? warning,
        double? baseline, string label)
    {
        double X(double v) => Math.Clamp((v - low) / (high - low), 0, 1) * BarWidth;
        var zero = X(Math.Clamp(0, low, high));
        var end = X(value);
        sb.Append("<svg class=\"bar\" viewBox=\"0 0 180 18\" width=\"180\" height=\"18\" role=\"img\"><title>").AppendText(label).Append("</title>")
          .Append("<rect class=\"track\" x=\"0\" y=\"4\" width=\"180\" height=\"10\"/>")
          .Append("<rect class=\"v-").Append(status.ToString().ToLowerInvariant()).Append("\" x=\"").Append(HtmlText.Svg(Math.Min(zero, end)))
          .Append("\" y=\"4\" width=\"").Append(HtmlText.Svg(Math.Max(1, Math.Abs(end - zero)))).Append("\" height=\"10\"/>");
        Mark(sb, "warnlimit", warning, X, 1, 17);
        Mark(sb, "limit", limit, X, 0, 18);
        Mark(sb, "baseline", baseline, X, 2, 16);
        sb.Append("</svg>");
    }

    private static void Mark(StringBuilder sb, string css, double? at, Func<double, double> x, double y1, double y2)
    {
        if (at is { } v)
        {
            var px = HtmlText.Svg(Math.Clamp(x(v), 1, BarWidth - 1));
            sb.Append("<line class=\"").Append(css).Append("\" x1=\"").Append(px).Append("\" x2=\"").Append(px).Append("\" y1=\"")
              .Append(HtmlText.Svg(y1)).Append("\" y2=\"").Append(HtmlText.Svg(y2)).Append("\"/>");
        }
    }

    /// <summary>A sparkline of a measurement's recorded values, oldest first, ending at its value now.</summary>
    public static void Sparkline(StringBuilder sb, MeasurementTrend trend, double now)
    {
        // The history gives the newest first; the line reads left to right, oldest to now.
        var points = trend.Points.Where(p => p.Value is { } v && double.IsFinite(v)).Reverse()
            .Select(p => (Value: p.Value!.Value, Label: $"#{p.EvaluationId.ToString(CultureInfo.InvariantCulture)} {p.Version}".TrimEnd()))
            .Append((Value: now, Label: "now"))
            .ToList();
        if (points.Count < 2 || !double.IsFinite(now))
        {
            return;
        }

        double min = points.Min(p => p.Value), max = points.Max(p => p.Value);
        var span = max > min ? max - min : 1;
        double X(int i) => 2 + (i * 96.0 / (points.Count - 1));
        double Y(double v) => 20 - ((v - min) / span * 16);
        sb.Append("<svg class=\"sparkline\" viewBox=\"0 0 100 24\" width=\"100\" height=\"24\" role=\"img\"><title>")
          .AppendText(string.Join(" → ", points.Select(p => $"{p.Label}: {MetricUnitFormat.Format(p.Value, trend.Unit)}")))
          .Append("</title><polyline class=\"spark\" points=\"");
        for (var i = 0; i < points.Count; i++)
        {
            sb.Append(HtmlText.Svg(X(i))).Append(',').Append(HtmlText.Svg(Y(points[i].Value))).Append(' ');
        }

        sb.Append("\"/><circle class=\"dot\" cx=\"").Append(HtmlText.Svg(X(points.Count - 1))).Append("\" cy=\"")
          .Append(HtmlText.Svg(Y(now))).Append("\" r=\"2.5\"/></svg>");
    }

    /// <summary>Where on the percentile axis <paramref name="p"/> lies: the number of nines, log10(100 / (100 − p)).</summary>
    private static double Nines(double p) => Math.Log10(100 / (100 - Math.Min(p, 99.9999)));

    /// <summary>
    /// A percentile curve on a nines axis (0, 50, 90, 99, 99.9 …, max), with each percentile the gate held to a condition
    /// marked at its limit and its measured value.
    /// </summary>
    public static void Distribution(StringBuilder sb, PercentileCurve curve, IReadOnlyList<Measurement> measurements)
    {
        var points = curve.Points.Where(p => double.IsFinite(p.Value) && p.Percentile is >= 0 and <= 100).OrderBy(p => p.Percentile).ToList();
        if (points.Count < 2)
        {
            return;
        }

        var marks = measurements.Select(m => (Measurement: m, Percentile: PercentileCurve.PercentileOf(m.Name)))
            .Where(m => m.Percentile is not null && m.Measurement.Condition is not null && m.Measurement.Unit == curve.Unit).ToList();
        var limits = marks.Select(m => m.Measurement.Condition!.Evaluate(m.Measurement.Value, m.Measurement.Unit, m.Measurement.Baseline).Limit)
            .OfType<double>().Where(double.IsFinite).ToList();
        var xmax = points.Where(p => p.Percentile < 100).Select(p => Nines(p.Percentile)).DefaultIfEmpty(0).Max() + 0.5;
        // The curve sets the scale; a limit far above it (3 s against a 90 ms p99) would flatten the curve to a line, so only
        // limits within twice the curve's top widen it, and the others are marked at the top edge with their value.
        var highest = points.Max(p => p.Value);
        var ymax = Math.Max(highest, limits.Where(l => l <= 2 * highest).DefaultIfEmpty(0).Max()) * 1.1;
        ymax = ymax > 0 ? ymax : 1;
        const double left = 64, right = 590, top = 10, bottom = 200;
        double X(double p) => left + ((p >= 100 ? xmax : Nines(p)) / xmax * (right - left));
        double Y(double v) => bottom - (Math.Clamp(v / ymax, 0, 1) * (bottom - top));

        sb.Append("<figure class=\"distribution\"><svg viewBox=\"0 0 600 230\" width=\"600\" height=\"230\" role=\"img\"><title>")
          .AppendText($"{curve.Name} percentile curve, {curve.Count.ToString(CultureInfo.InvariantCulture)} samples: ")
          .AppendText(string.Join(", ", points.Select(p => $"p({Percent(p.Percentile)}) {MetricUnitFormat.Format(p.Value, curve.Unit)}")))
          .Append("</title>");
        Axes(sb, curve.Unit, ymax, xmax, X, Y);
        sb.Append("<polyline class=\"curve\" points=\"");
        foreach (var p in points)
        {
            sb.Append(HtmlText.Svg(X(p.Percentile))).Append(',').Append(HtmlText.Svg(Y(p.Value))).Append(' ');
        }

        sb.Append("\"/>");
        // The dots show where the curve was measured (each value is in the chart's title): zero-length strokes with round caps.
        sb.Append("<path class=\"dots\" d=\"");
        foreach (var p in points)
        {
            sb.Append('M').Append(HtmlText.Svg(X(p.Percentile))).Append(' ').Append(HtmlText.Svg(Y(p.Value))).Append("h0");
        }

        sb.Append("\"/>");
        foreach (var (m, percentile) in marks)
        {
            Limit(sb, m, X(percentile!.Value), Y);
        }

        sb.Append("</svg><figcaption class=\"legend\"><span>").AppendText(curve.Name).Append(" by percentile, ")
          .Append(curve.Count.ToString(CultureInfo.InvariantCulture)).Append(" samples");
        if (curve.Target is { } target)
        {
            sb.Append(" from ").AppendText(target);
        }

        sb.Append("</span><span>").AppendText(curve.Resolution).Append("</span><span class=\"key-limit\">▬ limit</span></figcaption></figure>\n");
    }

    /// <summary>The distribution chart's axes: four value ticks, and the percentiles 0, 50, 90, 99 … up to the curve's resolution, and max.</summary>
    private static void Axes(StringBuilder sb, MetricUnit unit, double ymax, double xmax, Func<double, double> x, Func<double, double> y)
    {
        sb.Append("<line class=\"axis\" x1=\"64\" x2=\"590\" y1=\"200\" y2=\"200\"/><line class=\"axis\" x1=\"64\" x2=\"64\" y1=\"10\" y2=\"200\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var v = ymax * i / 4;
            sb.Append("<text x=\"60\" y=\"").Append(HtmlText.Svg(y(v) + 4)).Append("\" class=\"e\">")
              .AppendText(MetricUnitFormat.Format(v, unit)).Append("</text>");
        }

        foreach (var p in new[] { 0, 50, 90, 99, 99.9, 99.99, 99.999 }.Where(p => Nines(p) <= xmax - 0.5 + 1e-9))
        {
            sb.Append("<text x=\"").Append(HtmlText.Svg(x(p))).Append("\" y=\"216\" class=\"m\">p").Append(Percent(p)).Append("</text>");
        }

        sb.Append("<text x=\"").Append(HtmlText.Svg(x(100))).Append("\" y=\"216\" class=\"m\">max</text>");
    }

    private static void Limit(StringBuilder sb, Measurement m, double x, Func<double, double> y)
    {
        var limit = m.Condition!.Evaluate(m.Value, m.Unit, m.Baseline).Limit;
        if (limit is { } l && double.IsFinite(l))
        {
            var ly = y(l);
            sb.Append("<line class=\"limit\" x1=\"").Append(HtmlText.Svg(x - 14)).Append("\" x2=\"").Append(HtmlText.Svg(x + 14)).Append("\" y1=\"")
              .Append(HtmlText.Svg(ly)).Append("\" y2=\"").Append(HtmlText.Svg(ly)).Append("\"><title>").AppendText(m.Name).Append(" limit ")
              .AppendText(MetricUnitFormat.Format(l, m.Unit)).Append("</title></line>");
            if (ly <= 10.5)
            {
                sb.Append("<text x=\"").Append(HtmlText.Svg(x)).Append("\" y=\"22\" class=\"m\">↑ ").AppendText(MetricUnitFormat.Format(l, m.Unit))
                  .Append("</text>");
            }
        }

        sb.Append("<circle class=\"v-").Append(m.Status.ToString().ToLowerInvariant()).Append("\" cx=\"").Append(HtmlText.Svg(x)).Append("\" cy=\"")
          .Append(HtmlText.Svg(y(m.Value))).Append("\" r=\"4\"><title>").AppendText(m.Name).Append(' ').AppendText(MetricUnitFormat.Format(m.Value, m.Unit))
          .Append(" against ").AppendText(m.Condition.ToString()).Append("</title></circle>");
    }

    /// <summary>A percentile as written in a condition: up to three decimals (<c>99.99</c>), invariant.</summary>
    private static string Percent(double p) => p.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A watch's rounds on a time axis, each coloured by its decision.</summary>
    public static void Timeline(StringBuilder sb, IReadOnlyList<WatchRound> rounds)
    {
        var start = rounds[0].StartedAt;
        var end = rounds.Max(r => r.StartedAt + r.Duration);
        var span = Math.Max((end - start).TotalSeconds, 1e-3);
        double X(DateTimeOffset t) => 10 + ((t - start).TotalSeconds / span * 580);
        sb.Append("<svg class=\"timeline\" viewBox=\"0 0 600 64\" width=\"600\" height=\"64\" role=\"img\"><title>")
          .AppendText($"{rounds.Count.ToString(CultureInfo.InvariantCulture)} watch rounds from {start.UtcDateTime:HH:mm:ss} to {end.UtcDateTime:HH:mm:ss} UTC")
          .Append("</title><line class=\"axis\" x1=\"10\" x2=\"590\" y1=\"40\" y2=\"40\"/>");
        foreach (var r in rounds)
        {
            var status = r.Decision switch { ReleaseDecision.Go => "passed", ReleaseDecision.GoWithWarnings => "warning", _ => "failed" };
            var x = X(r.StartedAt);
            var width = Math.Max(3, X(r.StartedAt + r.Duration) - x);
            sb.Append("<rect class=\"v-").Append(status).Append("\" x=\"").Append(HtmlText.Svg(x)).Append("\" y=\"14\" width=\"").Append(HtmlText.Svg(width))
              .Append("\" height=\"22\"><title>").AppendText(
                  $"round {r.Number.ToString(CultureInfo.InvariantCulture)} at {r.StartedAt.UtcDateTime:HH:mm:ss}: "
                  + $"{ReportFormat.Decision(r.Decision)} ({r.Outcome})"
                  + (r.FellShort.Count > 0 ? "; " + string.Join("; ", r.FellShort) : ""))
              .Append("</title></rect><text x=\"").Append(HtmlText.Svg(x + (width / 2))).Append("\" y=\"10\" class=\"m\">")
              .Append(r.Number.ToString(CultureInfo.InvariantCulture)).Append("</text>");
        }

        sb.Append("<text x=\"10\" y=\"56\">").Append(start.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture))
          .Append(" UTC</text><text x=\"590\" y=\"56\" class=\"e\">").Append(end.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture))
          .Append(" UTC</text></svg>\n");
    }
}
