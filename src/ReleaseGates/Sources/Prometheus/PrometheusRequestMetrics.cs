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
        $"Prometheus {_client.Server}: {options.Metric}{_selector}{(options.Window is { } w ? " over the last " + PromQl.Duration(w) : " since the instances started")}";

    /// <summary>The PromQL of the bucket counts, as sent.</summary>
    public string BucketQuery => $"sum by (le) ({Over(options.Metric + "_bucket" + _selector)})";

    public async ValueTask<RequestMetrics> ReadAsync(CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var sumQuery = $"sum({Over(options.Metric + "_sum" + _selector)})";
        var errorQuery = $"sum({Over(options.Metric + "_count" + _errorSelector)})";
        var buckets = _client.QueryAsync(BucketQuery, at, cancellationToken);
        var sum = _client.QueryAsync(sumQuery, at, cancellationToken);
        var errors = _client.QueryAsync(errorQuery, at, cancellationToken);
        await Task.WhenAll(buckets, sum, errors).ConfigureAwait(false);

        var series = (await buckets.ConfigureAwait(false)).Series;
        if (series.Count == 0)
        {
            // No series: no request was counted (or the filters match nothing). The gate's no-data policy decides.
            return new RequestMetrics { Total = 0, Errors = 0, Duration = options.Window };
        }

        // Counts and sums are never negative, NaN or infinite: such an answer (a reset counter read raw, a broken
        // recording rule, a hostile proxy) is an error naming the query, never a rate of "-5 %" or an average below zero.
        var latency = new LatencyBuckets(series.Select(Bucket),
            Count(Scalar(await sum.ConfigureAwait(false), sumQuery), sumQuery, "sum") * options.MillisecondsPerUnit);
        var failed = Count(Scalar(await errors.ConfigureAwait(false), errorQuery), errorQuery, "error count") ?? 0;
        if (Math.Round(failed) > Math.Round(latency.Count))
        {
            throw new InvalidDataException(
                $"Prometheus at {_client.Server}: '{errorQuery}' counted {failed:0.###} failed requests, more than the {latency.Count:0.###} of '{BucketQuery}': the error selector and the histogram do not count the same requests.");
        }

        return new RequestMetrics
        {
            LatencyBuckets = latency,
            Total = (long)Math.Round(latency.Count),
            Errors = (long)Math.Round(failed),
            Duration = options.Window,
        };
    }

    private string Over(string selector) => options.Window is { } w ? $"increase({selector}[{PromQl.Duration(w)}])" : selector;

    private (double, double) Bucket(PrometheusSeries s)
    {
        if (!s.Labels.TryGetValue("le", out var le))
        {
            throw new InvalidDataException($"Prometheus at {_client.Server}: the series {s} of '{BucketQuery}' has no le label, so it is not a histogram bucket.");
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
            : throw new InvalidDataException($"Prometheus at {_client.Server}: '{query}' gave the {what} {v.ToString(CultureInfo.InvariantCulture)}; a count or sum must be a finite number of at least 0.");

    /// <summary>The value of a one-element vector; <see langword="null"/> for an empty one; an error naming the series for more.</summary>
    internal static double? Scalar(PrometheusResult result, string query)
    {
        return result.Series.Count switch
        {
            0 => null,
            1 => result.Series[0].Samples[^1].Value,
            _ => throw new InvalidDataException(
                $"'{query}' gave {result.Series.Count} series where one value was expected: {string.Join(", ", result.Series.Take(3))}{(result.Series.Count > 3 ? ", …" : "")}. Aggregate them (sum, max) or filter by label."),
        };
    }
}
