using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Holds test results (TRX and JUnit XML, several files merged) to conditions on executed, failed, skipped and pass-rate;
/// failing tests become findings. No tests, or files that cannot be read, are never a pass.
/// </summary>
internal sealed class TestResultsGate(TestResultsGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var baseDirectory = options.BaseDirectory ?? Directory.GetCurrentDirectory();
        var (files, none) = EvidenceFiles.Expand(options.Files, baseDirectory, "test result files");
        if (none is not null)
        {
            return none;
        }

        var cases = new List<TestCaseResult>();
        var findings = new List<Finding>();
        var unreadable = await EvidenceFiles.ReadEachAsync(files,
            async file => cases.AddRange(await ReadAsync(file, findings, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (options.Suites.Count > 0)
        {
            var patterns = options.Suites.Select(FileGlob.ToRegex).ToArray();
            cases = cases.Where(c => patterns.Any(p => p.IsMatch(c.Suite))).ToList();
        }

        var counted = ApplyRetryPolicy(cases, options.RetryPolicy);
        return Judge(counted, findings, FileGlob.Describe(files, baseDirectory), options);
    }

    /// <summary>The verdict as a pure function of the test cases and options.</summary>
    internal static GateResult Judge(IReadOnlyList<TestCaseResult> cases, List<Finding> findings, string files, TestResultsGateOptions options)
    {
        long passed = 0, failed = 0, errors = 0, skipped = 0;
        foreach (var c in cases)
        {
            switch (c.Outcome)
            {
                case TestCaseOutcome.Passed: passed++; break;
                case TestCaseOutcome.Failed: failed++; break;
                case TestCaseOutcome.Error: errors++; break;
                default: skipped++; break;
            }
        }

        var executed = passed + failed + errors;
        var values = new Dictionary<string, (double Value, MetricUnit Unit)>(StringComparer.Ordinal)
        {
            ["total"] = (cases.Count, MetricUnit.Count),
            ["executed"] = (executed, MetricUnit.Count),
            ["passed"] = (passed, MetricUnit.Count),
            ["failed"] = (failed + errors, MetricUnit.Count),
            ["skipped"] = (skipped, MetricUnit.Count),
            ["pass-rate"] = (executed == 0 ? double.NaN : (double)passed / executed, MetricUnit.Ratio),
        };

        var conditions = new List<GateCondition> { GateCondition.AtLeast("executed", options.MinimumExecuted),
            GateCondition.AtMost("failed", options.MaximumFailed) };
        if (options.MinimumPassRate is { } rate)
        {
            conditions.Add(GateCondition.AtLeast("pass-rate", MetricUnitFormat.RatioToPercent(rate), MetricUnit.Percent));
        }

        if (options.MaximumSkipped is { } maxSkipped)
        {
            conditions.Add(GateCondition.AtMost("skipped", maxSkipped));
        }

        conditions.AddRange(options.Conditions.Select(GateCondition.Parse));
        var measurements = new List<Measurement>();
        foreach (var condition in conditions)
        {
            var (value, unit) = values[condition.Metric];
            if (double.IsNaN(value))
            {
                // No executed test gives no pass rate: that is a failure of the run, not a pass, and not a number to compare.
                findings.Add(new Finding(TestResultsGateConstants.TestNoPassRate, FindingSeverity.Error,
                    $"'{condition}' cannot hold: no test was executed, so there is no pass rate."));
                continue;
            }

            measurements.Add(Measurement.Evaluate(condition.Metric, value, unit, condition));
        }

        foreach (var metric in TestResultsGateOptions.Metrics.Where(name => !conditions.Any(c => c.Metric == name)))
        {
            var (value, unit) = values[metric];
            if (!double.IsNaN(value))
            {
                measurements.Add(new Measurement(metric, value, unit));
            }
        }

        var failing = cases.Where(c => c.Outcome is TestCaseOutcome.Failed or TestCaseOutcome.Error).ToList();
        foreach (var c in failing.Take(options.MaximumFailuresListed))
        {
            var code = c.Outcome == TestCaseOutcome.Error ? TestResultsGateConstants.TestError : TestResultsGateConstants.TestFailed;
            findings.Add(new Finding(code, FindingSeverity.Info,
                $"{c.Name}: {Truncate(c.Message, options.MaximumMessageLength)}") { Target = $"{Path.GetFileName(c.File)} [{c.Suite}]" });
        }

        if (failing.Count > options.MaximumFailuresListed)
        {
            findings.Add(new Finding(TestResultsGateConstants.TestMoreFailures, FindingSeverity.Info,
                $"{failing.Count - options.MaximumFailuresListed} more failing tests are not listed."));
        }

        var summary = executed == 0
            ? $"No tests ran ({cases.Count} found, {skipped} skipped) in {files}"
            : $"{passed} of {executed} tests passed ({(double)passed / executed:P1}), {failed + errors} failed, {skipped} skipped, in {files}";
        return GateResult.FromEvidence(summary, measurements, findings);
    }

    internal static IReadOnlyList<TestCaseResult> ApplyRetryPolicy(List<TestCaseResult> cases, TestRetryPolicy policy)
    {
        if (policy == TestRetryPolicy.EveryAttempt)
        {
            return cases;
        }

        static int Rank(TestCaseOutcome o, TestRetryPolicy policy) => (o, policy) switch
        {
            (TestCaseOutcome.Passed, TestRetryPolicy.AnyAttemptPasses) => 3,
            (TestCaseOutcome.Error or TestCaseOutcome.Failed, TestRetryPolicy.AnyAttemptFails) => 3,
            (TestCaseOutcome.Error or TestCaseOutcome.Failed, _) => 2,
            (TestCaseOutcome.Passed, _) => 1,
            _ => 0,
        };

        return cases.GroupBy(c => c.Name, StringComparer.Ordinal)
            .Select(g => g.MaxBy(c => Rank(c.Outcome, policy))!)
            .ToList();
    }

    private static async Task<IReadOnlyList<TestCaseResult>> ReadAsync(string file, List<Finding> findings, CancellationToken cancellationToken)
    {
        await using var stream = IO.SafeFile.OpenRead(file);
        var format = await SniffAsync(stream, file, cancellationToken).ConfigureAwait(false);
        stream.Position = 0;
        if (format == "trx")
        {
            var run = TrxReader.Read(stream, file);
            if (run.RunOutcome is "Failed" or "Error" or "Aborted" && run.Cases.All(c => c.Outcome is TestCaseOutcome.Passed or TestCaseOutcome.Skipped))
            {
                findings.Add(new Finding(TestResultsGateConstants.RunFailed, FindingSeverity.Error,
                    $"The test run's outcome is '{run.RunOutcome}' although no test failed: the run itself reported an error.") { Target = file });
            }

            if (run.DeclaredTotal is { } total && total != run.Cases.Count)
            {
                findings.Add(new Finding(TestResultsGateConstants.ResultsCountMismatch, FindingSeverity.Info,
                    $"The TRX counters say {total} tests; {run.Cases.Count} results were read.") { Target = file });
            }

            return run.Cases;
        }

        if (format == "nunit")
        {
            var run = NUnitReader.Read(stream, file);
            var unexplained = run.RunResult is "Failed" && run.SuiteFailures.Count == 0
                && !run.Cases.Any(c => c.Outcome is TestCaseOutcome.Failed or TestCaseOutcome.Error);
            AddRunFindings(file, unexplained ? ["the run's result is 'Failed' although no test failed"] : run.SuiteFailures, run.Cases, run.DeclaredTotal,
                findings, "NUnit's test-run");
            return run.Cases;
        }

        if (format == "xunit")
        {
            var run = XunitReader.Read(stream, file);
            AddRunFindings(file, run.Errors, run.Cases, run.DeclaredTotal, findings, "the xUnit assemblies");
            return run.Cases;
        }

        var junit = JUnitReader.Read(stream, file);
        if (junit.DeclaredTests != junit.Cases.Count)
        {
            findings.Add(new Finding(TestResultsGateConstants.ResultsCountMismatch, FindingSeverity.Info,
                $"The JUnit attributes say {junit.DeclaredTests} tests; {junit.Cases.Count} testcase elements were read and counted.") { Target = file });
        }

        return junit.Cases;
    }

    /// <summary>
    /// A run's failures outside any test case, each an error (the run itself broke: a set-up that failed before its tests,
    /// a clean-up that threw; counting only the tests would pass it), and a declared total that differs from the cases read.
    /// </summary>
    private static void AddRunFindings(string file, IEnumerable<string> runFailures, IReadOnlyList<TestCaseResult> cases, int? declaredTotal,
        List<Finding> findings, string declaredBy)
    {
        foreach (var failure in runFailures)
        {
            findings.Add(new Finding(TestResultsGateConstants.RunFailed, FindingSeverity.Error, $"Outside any test: {failure}") { Target = file });
        }

        if (declaredTotal is { } total && total != cases.Count)
        {
            findings.Add(new Finding(TestResultsGateConstants.ResultsCountMismatch, FindingSeverity.Info,
                $"{declaredBy} says {total} tests; {cases.Count} were read.") { Target = file });
        }
    }

    /// <summary>Tells TRX, NUnit 3, xUnit v2 and JUnit apart by the root element, reading only the first few kilobytes.</summary>
    private static async Task<string> SniffAsync(Stream stream, string file, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var head = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        if (head.Contains("<TestRun", StringComparison.Ordinal))
        {
            return "trx";
        }

        if (head.Contains("<test-run", StringComparison.Ordinal) || head.Contains("<test-results", StringComparison.Ordinal))
        {
            return "nunit";
        }

        if (head.Contains("<assemblies", StringComparison.Ordinal) || head.Contains("<assembly ", StringComparison.Ordinal))
        {
            return "xunit";
        }

        if (head.Contains("<testsuite", StringComparison.Ordinal))
        {
            return "junit";
        }

        throw new ReportFormatException(file, 0, read == 0 ? "the file is empty"
            : "not a test results file this gate reads: TRX (<TestRun>), NUnit 3 (<test-run>), xUnit v2 (<assemblies>) or JUnit XML "
                + "(<testsuites> or <testsuite>)");
    }

    private static string Truncate(string? text, int length)
    {
        var oneLine = (text ?? "(no message)").ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= length ? oneLine : oneLine[..(length - 1)] + "…";
    }
}
