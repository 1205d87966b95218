namespace ReleaseGates;

/// <summary>
/// What an evaluation does with its history: before the gates, the baseline chosen by rule; after the decision, the
/// record. Every failure (an unreachable server, a locked file, a timeout) becomes the report's history section, never
/// an exception, a hang past the timeout or a lost report.
/// </summary>
internal sealed class HistoryStep
{
    private readonly EvaluationHistory _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<string> _secrets;
    private readonly IReadOnlyDictionary<string, GateBaseline> _gates;

    private HistoryStep(EvaluationHistory options, TimeProvider time, IReadOnlyList<string> secrets, EnvironmentFingerprint fingerprint,
        IReadOnlyDictionary<string, GateBaseline> gates, HistoryReport report, ReleaseSubject? baselineSubject)
    {
        _options = options;
        _time = time;
        _secrets = secrets;
        Fingerprint = fingerprint;
        _gates = gates;
        Report = report;
        BaselineSubject = baselineSubject;
    }

    public EnvironmentFingerprint Fingerprint { get; }

    public HistoryReport Report { get; }

    public ReleaseSubject? BaselineSubject { get; }

    public GateBaseline? For(string gate) => _gates.GetValueOrDefault(gate);

    /// <summary>Reads the baseline the rule picks, unless the request gives one explicitly.</summary>
    public static async Task<HistoryStep> BeginAsync(EvaluationHistory options, ReleaseSubject subject, bool explicitBaseline, TimeProvider time,
        IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var fingerprint = options.Fingerprint ?? EnvironmentFingerprint.Current(options.RunnerLabel);
        var report = new HistoryReport { Store = Describe(options.Store, secrets), Fingerprint = fingerprint };
        if (options.Baseline is not { } rule)
        {
            return new HistoryStep(options, time, secrets, fingerprint, new Dictionary<string, GateBaseline>(), report, null);
        }

        if (explicitBaseline)
        {
            report = report with { Notes = [$"A baseline report was given explicitly, so the rule '{rule}' was not applied."] };
            return new HistoryStep(options, time, secrets, fingerprint, new Dictionary<string, GateBaseline>(), report, null);
        }

        try
        {
            var resolved = await WithDeadlineAsync(
                token => BaselineResolver.ResolveAsync(options.Store, rule, subject, fingerprint, token), options.Timeout, time, cancellationToken)
                .ConfigureAwait(false);
            return new HistoryStep(options, time, secrets, fingerprint, resolved.Gates, resolved.Report with { Store = report.Store }, resolved.Subject);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            report = report with
            {
                Status = GateStatus.Error,
                BaselineRule = rule.ToString(),
                FingerprintFields = rule.Fingerprint,
                BaselineError = Explain(ex, options.Timeout, secrets),
            };
            return new HistoryStep(options, time, secrets, fingerprint, new Dictionary<string, GateBaseline>(), report, null);
        }
    }

    /// <summary>The report with its history section; recorded first when recording is on, the id or the failure added.</summary>
    public Task<ReleaseReport> FinishAsync(ReleaseReport report, ReleaseDecision baselineDecision, CancellationToken cancellationToken)
    {
        report = report.WithHistory(Report with { BaselineDecision = baselineDecision });
        return _options.Record ? RecordAsync(_options, report, _time, _secrets, cancellationToken) : Task.FromResult(report);
    }

    /// <summary>Records a report that carries its history section (a watch's final report), the id or the failure added to that section.</summary>
    public static async Task<ReleaseReport> RecordAsync(EvaluationHistory options, ReleaseReport report, TimeProvider time, IReadOnlyList<string> secrets,
        CancellationToken cancellationToken)
    {
        var section = report.History ?? new HistoryReport { Store = Describe(options.Store, secrets) };
        var fingerprint = section.Fingerprint ?? options.Fingerprint ?? EnvironmentFingerprint.Current(options.RunnerLabel);

        // A watch stopped by a bad round is no better a baseline than its decision, whatever its last round showed.
        var baselineDecision = section.BaselineDecision is { } b && report.Watch is { } watch && watch.Decision < b ? watch.Decision : section.BaselineDecision;
        report = report.WithHistory(section with { Fingerprint = fingerprint, BaselineDecision = baselineDecision });
        try
        {
            var entry = await WithDeadlineAsync(token => options.Store.RecordAsync(report, fingerprint, token), options.Timeout, time, cancellationToken)
                .ConfigureAwait(false);
            return report.WithHistory(report.History! with { RecordedId = entry.Id });
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return report.WithHistory(report.History! with
            {
                Status = GateStatus.Error,
                Problems = [.. section.Problems, "The evaluation was not recorded: " + Explain(ex, options.Timeout, secrets)],
            });
        }
    }

    /// <summary>
    /// Runs a history operation that is given up at its deadline whether or not the store honours its token (a SQLite call
    /// blocks its thread); an abandoned operation's later failure is observed, never unhandled.
    /// </summary>
    private static async Task<T> WithDeadlineAsync<T>(Func<CancellationToken, Task<T>> operation, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var work = Task.Run(() => operation(deadline.Token), CancellationToken.None);
        try
        {
            return await work.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    private static string Explain(Exception ex, TimeSpan timeout, IReadOnlyList<string> secrets)
    {
        var text = ex switch
        {
            TimeoutException => $"the history did not answer within {timeout.TotalSeconds:0.###} s",
            OperationCanceledException => $"the history did not answer within {timeout.TotalSeconds:0.###} s",
            ReleaseHistoryException => ex.Message,
            _ => $"{ex.GetType().Name}: {ex.Message}",
        };
        return IO.Redaction.Redact(IO.Redaction.Redact(text), secrets)!;
    }

    private static string Describe(IReleaseHistory store, IReadOnlyList<string> secrets)
    {
        try
        {
            return IO.Redaction.Redact(IO.Redaction.Redact(store.Description), secrets) ?? store.GetType().Name;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return store.GetType().Name;
        }
    }
}
