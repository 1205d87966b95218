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

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":null},"value":[1,"1"]}]}}""", "the label job as Null")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}""", "not [unix time, \"value\"]")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":{"a":1}}}""", "Object where an array")]
    [InlineData("""{"status":"success","data":{"resultType":"vector"}}""", "without data.resultType and data.result")]
    [InlineData("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{}}]}}""", "without \"values\"")]
    [InlineData("""{"status":7}""", "rejected 'q'")]
    [InlineData("""{"status":"success","data":{"resultType":"scalar","result":[1e999,"1"]}}""", "not a time")]
    public void Json_of_another_shape_is_an_error_naming_the_query(string body, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read(body));
        Assert.Contains("'q'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public void A_refusal_quotes_nothing_of_the_body(HttpStatusCode status)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read("<html>Bearer-less token hunter2-secret was refused</html>", status));
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"HTTP {(int)status}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_body_and_error_pass_through_the_connections_mask()
    {
        var mask = (string text) => text.Replace("tok-12345", "***", StringComparison.Ordinal);
        var html = Assert.Throws<InvalidDataException>(() => PrometheusResponseReader.Read("<p>tok-12345</p>", HttpStatusCode.BadGateway, "http://p", "q", mask));
        var json = Assert.Throws<InvalidDataException>(() => PrometheusResponseReader.Read("""{"status":"error","errorType":"bad_data","error":"token tok-12345 unknown"}""", HttpStatusCode.BadRequest, "http://p", "q", mask));

        Assert.DoesNotContain("tok-12345", html.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-12345", json.Message, StringComparison.Ordinal);
    }
}
