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

    private readonly IReadOnlyList<(HistoryEntry Entry, ReleaseReport Report)> _recent;

    private HistoryStep(EvaluationHistory options, TimeProvider time, IReadOnlyList<string> secrets, EnvironmentFingerprint fingerprint,
        ResolvedBaseline? baseline, IReadOnlyList<(HistoryEntry, ReleaseReport)> recent, HistoryReport report)
    {
        _options = options;
        _time = time;
        _secrets = secrets;
        Fingerprint = fingerprint;
        _gates = baseline?.Gates ?? new Dictionary<string, GateBaseline>();
        _recent = recent;
        Report = report;
        BaselineSubject = baseline?.Subject;
    }

    public EnvironmentFingerprint Fingerprint { get; }

    public HistoryReport Report { get; }

    public ReleaseSubject? BaselineSubject { get; }

    public GateBaseline? For(string gate) => _gates.GetValueOrDefault(gate);

    /// <summary>
    /// Reads the baseline the rule picks (unless the request gives one explicitly) and the earlier evaluations the trends and
    /// the flapping check look at, within the history's timeout.
    /// </summary>
    public static async Task<HistoryStep> BeginAsync(EvaluationHistory options, ReleaseSubject subject, bool explicitBaseline, TimeProvider time,
        IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var fingerprint = options.Fingerprint ?? EnvironmentFingerprint.Current(options.RunnerLabel);
        var report = new HistoryReport { Store = Describe(options.Store, secrets), Fingerprint = fingerprint };
        var rule = explicitBaseline ? null : options.Baseline;
        if (explicitBaseline && options.Baseline is { } unused)
        {
            report = report with { Notes = [$"A baseline report was given explicitly, so the rule '{unused}' was not applied."] };
        }

        try
        {
            // The baseline's reports are mostly among the recent ones the trends read: each is read and decided once.
            var read = new Dictionary<long, ReleaseReport?>();
            async Task<ReleaseReport?> ReadOnceAsync(long id, CancellationToken token)
            {
                if (!read.TryGetValue(id, out var report))
                {
                    read[id] = report = await options.Store.ReadReportAsync(id, token).ConfigureAwait(false);
                }

                return report;
            }

            var (resolved, recent) = await WithDeadlineAsync(async token =>
            {
                var baseline = rule is null
                    ? null
                    : await BaselineResolver.ResolveAsync(options.Store, rule, subject, fingerprint, token, ReadOnceAsync).ConfigureAwait(false);
                var earlier = options.TrendLength == 0
                    ? []
                    : await ReadRecentAsync(options.Store, subject, rule?.SameBranch == true, options.TrendLength, ReadOnceAsync, token).ConfigureAwait(false);
                return (baseline, earlier);
            }, options.Timeout, time, cancellationToken).ConfigureAwait(false);
            return new HistoryStep(options, time, secrets, fingerprint, resolved, recent,
                resolved is null ? report : resolved.Report with { Store = report.Store, Notes = [.. report.Notes, .. resolved.Report.Notes] });
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = Explain(ex, options.Timeout, secrets);
            report = rule is null
                ? report with { Status = GateStatus.Error, Problems = ["The earlier evaluations could not be read: " + reason] }
                : report with { Status = GateStatus.Error, BaselineRule = rule.ToString(), FingerprintFields = rule.Fingerprint, BaselineError = reason };
            return new HistoryStep(options, time, secrets, fingerprint, null, [], report);
        }
    }

    /// <summary>
    /// The gates with a <c>history.flapping</c> finding added to each whose status changed at least
    /// <see cref="EvaluationHistory.FlappingChanges"/> times over the earlier evaluations and this one.
    /// </summary>
    public GateReport[] AddFlapping(GateReport[] gates)
    {
        if (_recent.Count == 0)
        {
            return gates;
        }

        var result = new GateReport[gates.Length];
        for (var i = 0; i < gates.Length; i++)
        {
            var gate = gates[i];
            var statuses = new List<GateStatus> { gate.Status };
            statuses.AddRange(_recent.Select(r => r.Report.FindGate(gate.Name)).TakeWhile(g => g is not null).Select(g => g!.Status));
            var changes = statuses.Zip(statuses.Skip(1)).Count(p => p.First != p.Second);
            if (changes < _options.FlappingChanges)
            {
                result[i] = gate;
                continue;
            }

            var finding = new Finding("history.flapping", _options.FlappingSeverity,
                $"The gate changed status {changes} times in its last {statuses.Count} evaluations (newest first: {string.Join(", ", statuses)}): "
                + "a result that flips without a change is noise, not evidence.")
            {
                Remediation = "Find what makes it unstable (a shared runner, a threshold at the edge of the noise) before trusting either outcome.",
            };
            var status = GateVerdict.Worst(gate.Status, finding.ImpliedStatus);
            result[i] = gate.WithOutcome(status, gate.Summary, gate.Measurements, [.. gate.Findings, finding]);
        }

        return result;
    }

    /// <summary>Each measurement of the report with its values in the earlier evaluations, newest first; measurements without any are left out.</summary>
    private List<MeasurementTrend> Trends(ReleaseReport report)
    {
        var trends = new List<MeasurementTrend>();
        foreach (var gate in report.Gates)
        {
            foreach (var m in gate.Measurements.DistinctBy(m => (m.Name, m.Target)))
            {
                var points = new List<TrendPoint>();
                foreach (var (entry, earlier) in _recent)
                {
                    if (earlier.FindGate(gate.Name)?.Measurements.FirstOrDefault(e => e.Name == m.Name && e.Target == m.Target && e.Unit == m.Unit) is { } old)
                    {
                        points.Add(new TrendPoint
                        {
                            EvaluationId = entry.Id, Version = entry.Subject.Version, StartedAt = entry.StartedAt, Decision = entry.Decision,
                            Status = old.Status, Value = double.IsFinite(old.Value) ? old.Value : null, Unit = old.Unit,
                        });
                    }
                }

                if (points.Count > 0)
                {
                    trends.Add(new MeasurementTrend { Gate = gate.Name, Measurement = m.Name, Target = m.Target, Unit = m.Unit, Points = points });
                }
            }
        }

        return trends;
    }

    private static async Task<IReadOnlyList<(HistoryEntry, ReleaseReport)>> ReadRecentAsync(IReleaseHistory store, ReleaseSubject subject, bool sameBranch,
        int count, Func<long, CancellationToken, Task<ReleaseReport?>> readReport, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(new HistoryQuery
        {
            Service = subject.Service ?? "",
            Environment = subject.Environment ?? "",
            Branch = sameBranch ? subject.Branch ?? "" : null,
            IncludeInvalidated = false,
            Limit = count,
        }, cancellationToken).ConfigureAwait(false);
        var recent = new List<(HistoryEntry, ReleaseReport)>();
        foreach (var entry in entries)
        {
            if (await readReport(entry.Id, cancellationToken).ConfigureAwait(false) is { } report)
            {
                recent.Add((entry, report));
            }
        }

        return recent;
    }

    /// <summary>The report with its history section; recorded first when recording is on, the id or the failure added.</summary>
    public Task<ReleaseReport> FinishAsync(ReleaseReport report, ReleaseDecision baselineDecision, CancellationToken cancellationToken)
    {
        report = report.WithHistory(Report with { BaselineDecision = baselineDecision, Trends = Trends(report) });
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
