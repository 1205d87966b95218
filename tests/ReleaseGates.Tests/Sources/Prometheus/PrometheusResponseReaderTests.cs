using System.Net;

namespace ReleaseGates.Tests.Sources.Prometheus;

/// <summary>The Prometheus HTTP API's JSON, as documented at prometheus.io/docs/prometheus/latest/querying/api.</summary>
public class PrometheusResponseReaderTests
{
    private static PrometheusResult Read(string body, HttpStatusCode status = HttpStatusCode.OK)
        => PrometheusResponseReader.Read(body, status, "http://prom:9090", "q");

    [Fact]
    public void Reads_a_vector_with_labels_and_special_values()
    {
        var result = Read("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"le":"0.1","job":"api"},"value":[1435781451.781,"12.5"]},
              {"metric":{"le":"+Inf"},"value":[1435781451.781,"+Inf"]},
              {"metric":{},"value":[1435781451.781,"NaN"]}]}}
            """);

        Assert.Equal("vector", result.ResultType);
        Assert.Equal(12.5, result.Series[0].Samples[0].Value);
        Assert.Equal("{job=\"api\", le=\"0.1\"}", result.Series[0].ToString());
        Assert.True(double.IsPositiveInfinity(result.Series[1].Samples[0].Value));
        Assert.True(double.IsNaN(result.Series[2].Samples[0].Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1435781451781), result.Series[0].Samples[0].Time);
    }

    [Fact]
    public void Reads_a_scalar_and_a_matrix()
    {
        var scalar = Read("""{"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"2"]}}""");
        var matrix = Read("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"a"},"values":[[1,"1"],[2,"3"]]}]},"warnings":["partial"]}""");

        Assert.Equal(2, Assert.Single(scalar.Series).Samples[0].Value);
        Assert.Equal([1.0, 3.0], matrix.Series[0].Samples.Select(s => s.Value));
        Assert.Equal(["partial"], matrix.Warnings);
    }

    [Fact]
    public void An_error_envelope_names_the_server_the_query_and_the_servers_message()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read("""{"status":"error","errorType":"bad_data","error":"1:9: parse error: unclosed left parenthesis"}""", HttpStatusCode.BadRequest));

        Assert.Contains("http://prom:9090", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 400, bad_data", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unclosed left parenthesis", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_is_not_the_apis_json_is_an_error_with_an_excerpt()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read("<html>502 Bad Gateway</html>", HttpStatusCode.BadGateway));

        Assert.Contains("HTTP 502", ex.Message, StringComparison.Ordinal);
        Assert.Contains("<html>502", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_one_series_where_one_value_is_expected_names_them()
    {
        var result = Read("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"a"},"value":[1,"1"]},{"metric":{"instance":"b"},"value":[1,"0"]}]}}""");

        var ex = Assert.Throws<InvalidDataException>(() => PrometheusRequestMetrics.Scalar(result, "up"));
        Assert.Contains("{instance=\"a\"}, {instance=\"b\"}", ex.Message, StringComparison.Ordinal);
        Assert.Null(PrometheusRequestMetrics.Scalar(Read("""{"status":"success","data":{"resultType":"vector","result":[]}}"""), "up"));
    }

    [Theory]
    [InlineData("api", "\"api\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("c:\\x", "\"c:\\\\x\"")]
    public void Label_values_are_quoted_for_promql(string value, string quoted) => Assert.Equal(quoted, PromQl.Quote(value));

    [Fact]
    public void Selectors_join_exact_labels_and_matchers()
        => Assert.Equal("{job=\"api\", route=\"/x\", code=~\"5..\"}", PromQl.Selector(new Dictionary<string, string> { ["route"] = "/x", ["job"] = "api" }, null, "code=~\"5..\""));
}
