using System.Net;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Sources.Prometheus;

/// <summary>Native histogram samples as the Prometheus API sends them, from an answer recorded from a real Prometheus 2.42.</summary>
public class NativeHistogramTests
{
    private static readonly string Recorded = File.ReadAllText(Path.Combine(Repository.Root, "tests", "fixtures", "prometheus", "native-histogram-vector.json"));

    private static NativeHistogram RecordedHistogram()
        => Assert.Single(Assert.Single(PrometheusResponseReader.Read(Recorded, HttpStatusCode.OK, "http://prom:9090", "q").Series).Histograms).Histogram;

    [Fact]
    public void Reads_the_recorded_native_histogram_sample()
    {
        var histogram = RecordedHistogram();

        Assert.Equal(2000, histogram.Count);
        Assert.Equal(2000, histogram.Buckets.Sum(b => b.Count));
        Assert.All(histogram.Buckets, b => Assert.Equal(0, b.BoundaryRule));
        Assert.Equal(3, histogram.Schema);
        Assert.Equal(Math.Pow(2, 1.0 / 8), histogram.GrowthFactor!.Value, 1e-9);
        Assert.Contains("schema 3: each bucket spans ×1.0905 (9.05 % of its lower bound)", histogram.Resolution, StringComparison.Ordinal);
    }

    [Fact]
    public void A_percentile_is_interpolated_inside_its_populated_bucket_not_across_the_empty_ones_before_it()
    {
        // Between 60 ms and 200 ms the recorded histogram has no observation: the 95.01st percentile (the first of the tail)'s bucket is the first
        // populated one above that gap, and the interpolation stays within it.
        var buckets = RecordedHistogram().ToLatencyBuckets(1000);

        var (lower, upper) = buckets.BucketOf(95.01)!.Value;
        var value = buckets.ValueAtPercentile(95.01);

        Assert.InRange(lower, 190, 205);
        Assert.Equal(Math.Pow(2, 1.0 / 8), upper / lower, 1e-6);
        Assert.InRange(value, lower, upper);
        Assert.Equal(2000, buckets.Count);
        Assert.Equal(88593.61, buckets.SumMilliseconds!.Value, 0.01);
    }

    [Theory]
    [InlineData("""[1, {"count":"1","sum":"1","buckets":[[7,"1","2","1"]]}]""", "boundary rule 0-3")]
    [InlineData("""[1, {"count":"x","sum":"1","buckets":[]}]""", "count 'x' is not a number")]
    [InlineData("""[1, {"sum":"1","buckets":[]}]""", "count is missing")]
    [InlineData("""[1, 5]""", "not [unix time, {count, sum, buckets}]")]
    public void A_broken_histogram_sample_is_an_error_that_says_what_was_expected(string sample, string expected)
    {
        var body = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":""" + sample + "}]}}";

        var error = Assert.Throws<InvalidDataException>(() => PrometheusResponseReader.Read(body, HttpStatusCode.OK, "http://prom:9090", "q"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_matrix_of_histogram_samples()
    {
        var body = """
            {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"histograms":[
              [1,{"count":"2","sum":"0.3","buckets":[[0,"0.1","0.109","2"]]}],
              [2,{"count":"3","sum":"0.4","buckets":[[3,"-0.001","0.001","1"],[0,"0.1","0.109","2"]]}]]}]}}
            """;

        var series = Assert.Single(PrometheusResponseReader.Read(body, HttpStatusCode.OK, "http://prom:9090", "q").Series);

        Assert.Empty(series.Samples);
        Assert.Equal([2.0, 3.0], series.Histograms.Select(h => h.Histogram.Count));
        Assert.Equal(3, series.Histograms[1].Histogram.Buckets[0].BoundaryRule);
    }
}
