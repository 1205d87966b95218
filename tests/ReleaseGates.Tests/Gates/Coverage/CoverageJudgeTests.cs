namespace ReleaseGates.Tests.Gates.Coverage;

/// <summary>The coverage verdict as a pure function of the files read, the options and the baseline.</summary>
public class CoverageJudgeTests
{
    /// <summary>One file of <paramref name="lines"/> coverable lines, the first <paramref name="covered"/> of them hit.</summary>
    private static FileCoverage File(int lines, int covered, string path = "src/Orders.cs")
    {
        var file = new FileCoverage("Orders", path);
        for (var i = 1; i <= lines; i++)
        {
            file.AddLine(i, i <= covered ? 1 : 0);
        }

        return file;
    }

    private static GateResult Judge(FileCoverage file, Action<CoverageGateOptions> configure, GateBaseline? baseline = null)
    {
        var options = new CoverageGateOptions { MinimumCoverableLines = 0 };
        configure(options);
        return CoverageGate.Judge([file], options, baseline, null, "coverage.xml");
    }

    [Theory]
    [InlineData(90, GateStatus.Passed)]
    [InlineData(85, GateStatus.Warning)]
    [InlineData(70, GateStatus.Failed)]
    public void Fails_below_the_minimum_line_rate_and_warns_below_the_warning_rate(int covered, GateStatus expected)
        => Assert.Equal(expected, Judge(File(100, covered), o => { o.MinimumLineRate = 0.8; o.WarningLineRate = 0.88; }).Status);

    [Fact]
    public void Holds_a_relative_condition_to_the_baseline_line_rate()
    {
        var baseline = new GateBaseline([new Measurement("line", 0.9, MetricUnit.Ratio)]);
        Assert.Equal(GateStatus.Passed, Judge(File(100, 90), o => o.Conditions.Add("line >= -1%"), baseline).Status);
        Assert.Equal(GateStatus.Failed, Judge(File(100, 80), o => o.Conditions.Add("line >= -1%"), baseline).Status);
    }
}
