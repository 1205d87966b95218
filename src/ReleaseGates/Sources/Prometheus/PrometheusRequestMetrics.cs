using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>Reads a request-duration histogram from Prometheus into <see cref="RequestMetrics"/>: buckets, sum, count and errors, at one instant.</summary>
internal sealed class PrometheusRequestMetrics(PrometheusRequestMetricsOptions options, TimeProvider time)
{
    private readonly PrometheusClient _client = new(options.Connection, time);
    private readonly string _selector = PromQl.Selector(options.Labels, options.Selector);
    private readonly string _errorSelector = PromQl.Selector(options.Labels, options.Selector, options.ErrorSelector);

    /// <summary>The series the source sums, as a report cell shows it.</summary>
    public string Description =>
        $"Prometheus {_client.Server}: {options.Metric}{_selector}"
            + (options.Window is { } w ? " over the last " + PromQl.Duration(w) : " since the instances started");

    /// <summary>The PromQL of the bucket counts, as sent.</summary>
    public string BucketQuery => $"sum by (le) ({Over(options.Metric + "_bucket" + _selector)})";

    /// <summary>The PromQL of a native histogram of the same name, as sent: one histogram sample when the server has one.</summary>
    public string NativeQuery => $"sum({Over(options.Metric + _selector)})";

    public async ValueTask<RequestMetrics> ReadAsync(CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var sumQuery = $"sum({Over(options.Metric + "_sum" + _selector)})";
        var errorQuery = $"sum({Over(options.Metric + "_count" + _errorSelector)})";
        // Both forms at once: a native histogram where the server has one (far finer buckets), classic buckets otherwise.
        var native = _client.QueryAsync(NativeQuery, at, cancellationToken);
        var buckets = _client.QueryAsync(BucketQuery, at, cancellationToken);
        var sum = _client.QueryAsync(sumQuery, at, cancellationToken);
        var errors = _client.QueryAsync(errorQuery, at, cancellationToken);
        await Task.WhenAll(native, buckets, sum, errors).ConfigureAwait(false);

        var nativeSeries = (await native.ConfigureAwait(false)).Series;
        var metrics = nativeSeries is [{ Histograms: [var (_, histogram)] }]
            ? await FromNativeAsync(histogram, at, cancellationToken).ConfigureAwait(false)
            : FromClassic((await buckets.ConfigureAwait(false)).Series, await sum.ConfigureAwait(false), sumQuery,
                await errors.ConfigureAwait(false), errorQuery);
        if (options.Step is not { } step)
        {
            return metrics;
        }

        var (windows, evidence) = await ReadWindowsAsync(at, step, native: metrics.LatencyBuckets is not null && nativeSeries.Count == 1,
            cancellationToken).ConfigureAwait(false);
        return new RequestMetrics
        {
            LatencyBuckets = metrics.LatencyBuckets,
            Total = metrics.Total,
            Errors = metrics.Errors,
            Duration = metrics.Duration,
            Windows = windows,
            SourceFindings = [.. metrics.SourceFindings, evidence],
        };
    }

    private RequestMetrics FromClassic(IReadOnlyList<PrometheusSeries> series, PrometheusResult sum, string sumQuery, PrometheusResult errors, string errorQuery)
    {
        if (series.Count == 0)
        {
            // No series: no request was counted (or the filters match nothing). The gate's no-data policy decides.
            return new RequestMetrics { Total = 0, Errors = 0, Duration = options.Window };
        }

        // Counts and sums are never negative, NaN or infinite: such an answer (a reset counter read raw, a broken
        // recording rule, a hostile proxy) is an error naming the query, never a rate of "-5 %" or an average below zero.
        var latency = new LatencyBuckets(series.Select(Bucket), Count(Scalar(sum, sumQuery), sumQuery, "sum") * options.MillisecondsPerUnit);
        var failed = Count(Scalar(errors, errorQuery), errorQuery, "error count") ?? 0;
        return Checked(latency, failed, errorQuery, BucketQuery);
    }

    private async Task<RequestMetrics> FromNativeAsync(NativeHistogram histogram, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var errorQuery = $"sum({Over(options.Metric + _errorSelector)})";
        var errors = await _client.QueryAsync(errorQuery, at, cancellationToken).ConfigureAwait(false);
        var failed = errors.Series switch
        {
            [] => 0,
            [{ Histograms: [var (_, h)] }] => h.Count,
            _ => throw new InvalidDataException($"Prometheus at {_client.Server}: '{errorQuery}' gave {errors.Series.Count} series or a float where "
                + $"one native histogram was expected."),
        };
        _ = Count(histogram.Count, NativeQuery, "count");
        _ = Count(histogram.Sum, NativeQuery, "sum");
        foreach (var bucket in histogram.Buckets)
        {
            _ = Count(bucket.Count, NativeQuery, "bucket count");
        }

        var metrics = Checked(histogram.ToLatencyBuckets(options.MillisecondsPerUnit), Count(failed, errorQuery, "error count")!.Value,
            errorQuery, NativeQuery);
        return new RequestMetrics
        {
            LatencyBuckets = metrics.LatencyBuckets,
            Total = metrics.Total,
            Errors = metrics.Errors,
            Duration = metrics.Duration,
            SourceFindings =
            [
                new Finding(PrometheusConstants.NativeHistogram, FindingSeverity.Info,
                    $"Latency from the {histogram.Resolution} ('{NativeQuery}'), not from classic buckets.") { Target = Description },
            ],
        };
    }

    private RequestMetrics Checked(LatencyBuckets latency, double failed, string errorQuery, string countQuery)
    {
        if (Math.Round(failed) > Math.Round(latency.Count))
        {
            throw new InvalidDataException(
                $"Prometheus at {_client.Server}: '{errorQuery}' counted {failed:0.###} failed requests, more than the {latency.Count:0.###} of "
                    + $"'{countQuery}': the error selector and the histogram do not count the same requests.");
        }

        return new RequestMetrics
        {
            LatencyBuckets = latency,
            Total = (long)Math.Round(latency.Count),
            Errors = (long)Math.Round(failed),
            Duration = options.Window,
        };
    }

    /// <summary>
    /// Per-step request and error counts over the lookback from two range queries, as windows aligned to the Unix epoch:
    /// the sample at time t is the <c>increase</c> over (t − step, t], the interval that starts at t − step. The windows
    /// end at the last whole step; a step without a sample holds no requests, so it can never show a breach.
    /// </summary>
    private async Task<(RequestWindows Windows, Finding Evidence)> ReadWindowsAsync(DateTimeOffset at, TimeSpan step, bool native,
        CancellationToken cancellationToken)
    {
        var stepText = PromQl.Duration(step);
        var (totalQuery, errorQuery) = native
            ? ($"histogram_count(sum(increase({options.Metric}{_selector}[{stepText}])))",
                $"histogram_count(sum(increase({options.Metric}{_errorSelector}[{stepText}])))")
            : ($"sum(increase({options.Metric}_count{_selector}[{stepText}]))", $"sum(increase({options.Metric}_count{_errorSelector}[{stepText}]))");
        var stepTicks = step.Ticks;
        var sinceEpoch = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var end = DateTimeOffset.UnixEpoch.AddTicks(sinceEpoch - (sinceEpoch % stepTicks));
        var steps = (int)(options.Lookback / step);
        var start = end - (step * (steps - 1));
        var totals = _client.QueryRangeAsync(totalQuery, start, end, step, cancellationToken);
        var errors = _client.QueryRangeAsync(errorQuery, start, end, step, cancellationToken);
        await Task.WhenAll(totals, errors).ConfigureAwait(false);

        var windows = new RequestWindows(step, steps + 1, time);
        var failedAt = PerStep(await errors.ConfigureAwait(false), errorQuery);
        foreach (var (t, value) in PerStep(await totals.ConfigureAwait(false), totalQuery))
        {
            var total = (long)Math.Round(value);
            var failed = Math.Min(total, (long)Math.Round(failedAt.GetValueOrDefault(t)));
            windows.AddInterval(t - step, total, failed, latency: null);
        }

        var evidence = new Finding(PrometheusConstants.RangeWindows, FindingSeverity.Info,
            $"Windows from range queries: step {stepText} over the {PromQl.Duration(options.Lookback)} to "
                + $"{end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ({steps} intervals); requests "
                    + $"'{totalQuery}', errors '{errorQuery}'. Each step's counts are Prometheus's increase() estimate, rounded.")
        { Target = Description };
        return (windows, evidence);
    }

    /// <summary>The samples of a one-series (or empty) matrix by time; negative or non-finite counts are an error naming the query.</summary>
    private Dictionary<DateTimeOffset, double> PerStep(PrometheusResult result, string query)
    {
        if (result.Series.Count > 1)
        {
            throw new InvalidDataException($"Prometheus at {_client.Server}: '{query}' gave {result.Series.Count} series where one was expected.");
        }

        var samples = new Dictionary<DateTimeOffset, double>();
        foreach (var (t, value) in result.Series.SelectMany(s => s.Samples))
        {
            samples[t] = Count(value, query, "count")!.Value;
        }

        return samples;
    }

    private string Over(string selector) => options.Window is { } w ? $"increase({selector}[{PromQl.Duration(w)}])" : selector;

    private (double, double) Bucket(PrometheusSeries s)
    {
        if (!s.Labels.TryGetValue("le", out var le))
        {
            throw new InvalidDataException($"Prometheus at {_client.Server}: the series {s} of '{BucketQuery}' has no le label, so it is not a "
                + $"histogram bucket.");
        }

        var bound = le is "+Inf" or "Inf" ? double.PositiveInfinity
            : double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) ? b
            : throw new InvalidDataException($"Prometheus at {_client.Server}: the bucket bound le=\"{le}\" of '{BucketQuery}' is not a number.");
        return (bound * options.MillisecondsPerUnit, Count(s.Samples[0].Value, BucketQuery, $"bucket le=\"{le}\"")!.Value);
    }

    /// <summary>A count or sum as read, or an error naming the query when it is negative, NaN or infinite.</summary>
    private double? Count(double? value, string query, string what)
        => value is not { } v || (double.IsFinite(v) && v >= 0)
            ? value
            : throw new InvalidDataException($"Prometheus at {_client.Server}: '{query}' gave the {what} {v.ToString(CultureInfo.InvariantCulture)}; "
                + $"a count or sum must be a finite number of at least 0.");

    /// <summary>The value of a one-element vector; <see langword="null"/> for an empty one; an error naming the series for more.</summary>
    internal static double? Scalar(PrometheusResult result, string query)
    {
        return result.Series.Count switch
        {
            0 => null,
            1 => result.Series[0].Samples[^1].Value,
            _ => throw new InvalidDataException(
                $"'{query}' gave {result.Series.Count} series where one value was expected: "
                    + $"{string.Join(", ", result.Series.Take(3))}{(result.Series.Count > 3 ? ", …" : "")}. Aggregate them (sum, max) or filter by label."),
        };
    }
}
