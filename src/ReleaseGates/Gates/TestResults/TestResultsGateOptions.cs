namespace ReleaseGates;

/// <summary>Options of the test-results gate (<c>AddTestResults</c>). See <c>docs/gates/test-results.md</c>.</summary>
public sealed class TestResultsGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Quality"/>.</summary>
    public TestResultsGateOptions() => Category = GateCategories.Quality;

    /// <summary>
    /// The result files: paths or globs (<c>TestResults/**/*.trx</c>, <c>reports/junit-*.xml</c>), relative to
    /// <see cref="BaseDirectory"/>. TRX and JUnit XML are told apart by content. Required.
    /// </summary>
    public IList<string> Files { get; private set; } = [];

    /// <summary>The folder relative paths start from. Default: the current directory.</summary>
    public string? BaseDirectory { get; set; }

    /// <summary>Only test cases whose suite (JUnit <c>testsuite</c> name, or the TRX file name) matches one of these globs. Default: all.</summary>
    public IList<string> Suites { get; private set; } = [];

    /// <summary>The fewest tests that must have run (passed, failed or errored; skipped ones do not count). Default: 1 — no tests is never a pass.</summary>
    public int MinimumExecuted { get; set; } = 1;

    /// <summary>The most failed or errored tests allowed. Default: 0.</summary>
    public int MaximumFailed { get; set; }

    /// <summary>The lowest pass rate (passed ÷ executed) allowed, 0 to 1. Default: <see langword="null"/> (no rate condition).</summary>
    public double? MinimumPassRate { get; set; }

    /// <summary>The most skipped tests allowed. Default: <see langword="null"/> (any number).</summary>
    public int? MaximumSkipped { get; set; }

    /// <summary>
    /// More conditions in text form over the metrics <c>total</c>, <c>executed</c>, <c>passed</c>, <c>failed</c>,
    /// <c>skipped</c> and <c>pass-rate</c>, for example <c>pass-rate >= 98% warn 100%</c>. Default: none.
    /// </summary>
    public IList<string> Conditions { get; private set; } = [];

    /// <summary>How a test that appears more than once (a retry, or several files) counts. Default: <see cref="TestRetryPolicy.EveryAttempt"/>.</summary>
    public TestRetryPolicy RetryPolicy { get; set; } = TestRetryPolicy.EveryAttempt;

    /// <summary>How many failing tests are listed as findings. Default: 20.</summary>
    public int MaximumFailuresListed { get; set; } = 20;

    /// <summary>How many characters of a failure message a finding keeps. Default: 300.</summary>
    public int MaximumMessageLength { get; set; } = 300;

    internal static readonly string[] Metrics = ["total", "executed", "passed", "failed", "skipped", "pass-rate"];

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Files.Count == 0 || Files.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{nameof(Files)} must list at least one path or glob, and no empty ones.");
        }

        if (MinimumExecuted < 0)
        {
            problems.Add($"{nameof(MinimumExecuted)} must not be negative, but was {MinimumExecuted}.");
        }

        if (MaximumFailed < 0)
        {
            problems.Add($"{nameof(MaximumFailed)} must not be negative, but was {MaximumFailed}.");
        }

        if (MinimumPassRate is { } rate && !(rate >= 0 && rate <= 1))
        {
            problems.Add($"{nameof(MinimumPassRate)} is a ratio from 0 to 1 (0.98 for 98 %), but was {rate}.");
        }

        if (MaximumSkipped is < 0)
        {
            problems.Add($"{nameof(MaximumSkipped)} must not be negative, but was {MaximumSkipped}.");
        }

        if (MaximumFailuresListed < 0 || MaximumMessageLength < 10)
        {
            problems.Add($"{nameof(MaximumFailuresListed)} must not be negative and {nameof(MaximumMessageLength)} must be at least 10.");
        }

        ConditionList.Validate(
            Conditions,
            m => m == "pass-rate" ? MetricUnit.Ratio : Metrics.Contains(m, StringComparer.Ordinal) ? MetricUnit.Count : null,
            string.Join(", ", Metrics),
            problems);
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (TestResultsGateOptions)base.Clone();
        copy.Files = [.. Files];
        copy.Suites = [.. Suites];
        copy.Conditions = [.. Conditions];
        return copy;
    }
}
