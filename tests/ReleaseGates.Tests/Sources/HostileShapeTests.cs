using System.Text;
using ReleaseGates.IO;

namespace ReleaseGates.Tests.Sources;

/// <summary>JSON of the wrong kind, and files cut short: each an error naming the file, what is wrong and where.</summary>
public class HostileShapeTests
{
    [Theory]
    [InlineData("[1, 2]", "JSON root is Array")]
    [InlineData("\"metrics\"", "JSON root is String")]
    [InlineData("42", "JSON root is Number")]
    public void A_k6_summary_whose_root_is_not_an_object_names_the_file(string json, string expected)
    {
        var ex = Assert.Throws<ReportFormatException>(() => K6SummaryReader.Read(Encoding.UTF8.GetBytes(json), "summary.json", "http_req_duration"));
        Assert.StartsWith("summary.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"200\"")]
    [InlineData("{}")]
    [InlineData("true")]
    public void A_har_status_of_the_wrong_kind_names_the_entry(string status)
    {
        var har = $$"""{ "log": { "entries": [ { "request": { "url": "http://a/" }, "startedDateTime": "2026-12-01T10:00:00Z", "time": 12, "response": { "status": {{status}} } } ] } }""";
        var ex = Assert.Throws<ReportFormatException>(() => HarReader.Read(Encoding.UTF8.GetBytes(har), "capture.har", _ => true));
        Assert.StartsWith("capture.har: log.entries[0].response.status is", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_lcov_file_cut_inside_a_record_is_an_error_at_the_record()
    {
        const string Cut = "TN:\nSF:/src/a.cs\nDA:1,1\nDA:2,1\nend_of_record\nSF:/src/b.cs\nDA:1,0\nDA:2,";
        var ex = Assert.Throws<ReportFormatException>(() => LcovReader.Read(new StringReader(Cut.Replace("DA:2,", "DA:2,0", StringComparison.Ordinal)), "coverage.info", "m"));
        Assert.Equal("coverage.info, line 6: the record that starts here has no end_of_record: the file ends inside it (cut short?)", ex.Message);
    }

    [Fact]
    public void An_lcov_record_followed_by_another_without_its_end_is_an_error()
    {
        const string Lcov = "SF:/src/a.cs\nDA:1,1\nSF:/src/b.cs\nDA:1,0\nend_of_record\n";
        var ex = Assert.Throws<ReportFormatException>(() => LcovReader.Read(new StringReader(Lcov), "coverage.info", "m"));
        Assert.Equal("coverage.info, line 1: the record that starts here has no end_of_record before the next SF: at line 3", ex.Message);
    }

    [Fact]
    public void A_whole_lcov_file_still_reads()
    {
        const string Lcov = "TN:\nSF:/src/a.cs\nDA:1,1\nDA:2,0\nend_of_record\n";
        var data = LcovReader.Read(new StringReader(Lcov), "coverage.info", "m");
        Assert.NotNull(data);
    }
}
