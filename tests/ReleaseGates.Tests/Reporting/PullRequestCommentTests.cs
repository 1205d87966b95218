using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

/// <summary>The pull-request comment: a marker to update it by, what fell short with the change, bounded to one screen, inert.</summary>
public class PullRequestCommentTests
{
    [Fact]
    public async Task A_no_go_comment_has_the_marker_the_decision_and_each_shortfall_with_its_change_against_the_baseline()
    {
        var baseline = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = "checkout", Version = "2.3.0" })
            .AddGate("latency", Relative(200))
            .EvaluateAsync(TestContext.Current.CancellationToken);
        var report = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = "checkout", Version = "2.4.0" })
            .AddGate("latency", Relative(250))
            .EvaluateAsync(new EvaluationRequest { Baseline = baseline }, TestContext.Current.CancellationToken);

        var comment = report.ToPullRequestComment(new Uri("https://ci.example/run/1"));

        var lines = comment.Split('\n');
        Assert.True(lines.Length > 2, comment);
        Assert.Equal(ReleaseReport.PullRequestCommentMarker, lines[0]);
        Assert.StartsWith("### ❌ Release decision: **NO-GO**", lines[1], StringComparison.Ordinal);
        Assert.Contains("| latency | p(95) | 250 ms | < 220 ms (p(95) < +10%) | +25.0% vs 2.3.0 |", comment.Replace("&lt;", "<", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.EndsWith("1 failed · [Full report](https://ci.example/run/1)\n", comment, StringComparison.Ordinal);
    }

    /// <summary>A gate that holds its p95 to 10 % above the baseline's, as the latency gate does.</summary>
    private static Func<GateContext, CancellationToken, ValueTask<GateResult>> Relative(double p95) => (context, _) => ValueTask.FromResult(
        GateResult.FromEvidence("p95", [Measurement.Evaluate("p(95)", p95, MetricUnit.Milliseconds, GateCondition.Parse("p(95) < +10%"),
            context.Baseline?.Find("p(95)")?.Value)]));

    [Fact]
    public async Task A_no_go_of_many_shortfalls_fits_on_one_screen()
    {
        var builder = ReleaseGate.CreateBuilder();
        for (var i = 0; i < 40; i++)
        {
            builder.AddGate($"gate-{i}", Returning(LatencyResult(500 + i)));
        }

        var comment = (await builder.EvaluateAsync(TestContext.Current.CancellationToken)).ToPullRequestComment();

        var lines = comment.Split('\n');
        Assert.True(lines.Length <= 25, $"{lines.Length} lines");
        Assert.Contains("_and 30 more in the full report_", comment, StringComparison.Ordinal);
        Assert.Contains("- and 38 more reasons", comment, StringComparison.Ordinal);
        Assert.True(comment.Length < 4000, $"{comment.Length} characters");
    }

    [Fact]
    public async Task Evidence_cannot_mention_link_or_inject_markup()
    {
        var hostile = "@org/security-team [click](https://evil.example) <img src=x> | pipe\nnewline ##vso[task.complete]";
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("g", Returning(GateResult.FromEvidence(hostile, [], [new Finding("x.y", FindingSeverity.Error, hostile)])))
            .EvaluateAsync(TestContext.Current.CancellationToken);

        var comment = report.ToPullRequestComment(new Uri("javascript:alert(1)"));

        Assert.DoesNotContain("@org", comment, StringComparison.Ordinal);
        Assert.Contains("&#64;org/security-team", comment, StringComparison.Ordinal);
        Assert.Contains("\\[click](", comment, StringComparison.Ordinal);   // an escaped bracket: text, not a link
        Assert.DoesNotContain(" [click](", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript", comment, StringComparison.Ordinal);
        Assert.Contains("\\| pipe newline", comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_go_comment_is_the_decision_and_the_counts()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("latency", Returning(LatencyResult(100)))
            .EvaluateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ReleaseReport.PullRequestCommentMarker + "\n### ✅ Release decision: **GO** · score 100\n\n\n1 passed\n", report.ToPullRequestComment());
    }
}
