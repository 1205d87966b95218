using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>Runs registered gates concurrently within bounds, each under its timeout and resilience pipeline, then scores and decides.</summary>
internal sealed partial class ReleaseGateEvaluator : IReleaseGateEvaluator
{
    private readonly GateRegistration[] _registrations;
    private readonly ResiliencePipeline<GateResult>[] _pipelines;
    private readonly TimeSpan[] _timeouts;
    private readonly IReadOnlyList<string> _secretForms;
    private readonly ReleaseGatesOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Func<string, string?> _getVariable;
    private readonly Waiver[] _waivers;

    public ReleaseGateEvaluator(
        IReadOnlyList<GateRegistration> registrations,
        ReleaseGatesOptions options,
        IServiceProvider services,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var problems = new List<string>();
        options.Validate(problems);
        var duplicates = registrations.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0)
        {
            problems.Add($"Duplicate gates were registered with the name(s): {string.Join(", ", duplicates.Select(d => $"'{d}'"))}. Gate names must be unique.");
        }

        _registrations = [.. registrations];
        _options = options;
        _services = services;
        _time = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("ReleaseGates.Evaluation");
        _getVariable = getVariable ?? Environment.GetEnvironmentVariable;
        _timeouts = new TimeSpan[_registrations.Length];
        _pipelines = new ResiliencePipeline<GateResult>[_registrations.Length];
        for (var i = 0; i < _registrations.Length && problems.Count == 0; i++)
        {
            var registration = _registrations[i];
            _timeouts[i] = registration.Timeout ?? options.DefaultTimeout;
            try
            {
                _pipelines[i] = BuildPipeline(registration, _timeouts[i]);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.DataAnnotations.ValidationException)
            {
                problems.Add($"Gate '{registration.Name}': its resilience pipeline is invalid: {ex.Message}");
            }
        }

        // What a report shows of a waiver passes the same redaction as a gate's text (a token in a link's query).
        // Every gate's credentials are masked in every gate's report: a token one gate sends may be echoed by another's server.
        _secretForms = Redaction.SecretForms(_registrations.SelectMany(r => r.Secrets));
        _waivers = [.. options.Waivers.Select(w => w is null ? w! : w with
        {
            Reason = Redaction.Redact(w.Reason, _secretForms)!,
            Link = w.Link is null ? null : new Uri(Redaction.Redact(w.Link.OriginalString, _secretForms)!, UriKind.RelativeOrAbsolute),
        })];
        foreach (var waiver in _waivers.Where(w => w is { Gate: { } gate } && !string.IsNullOrWhiteSpace(gate) && !registrations.Any(r => string.Equals(r.Name, gate, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add($"Waiver '{waiver.Id}' names the gate '{waiver.Gate}', which is not registered; the gates are: {string.Join(", ", registrations.Select(r => $"'{r.Name}'"))}.");
        }

        if (problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException("Release gates are misconfigured", problems);
        }
    }

    public IReadOnlyList<GateRegistration> Registrations => _registrations;

    public Task<ReleaseReport> EvaluateAsync(EvaluationRequest? request = null, CancellationToken cancellationToken = default)
        => EvaluateAsync(request, look: null, cancellationToken);

    /// <summary>One evaluation; <paramref name="look"/> says which round of a watch it is, handed to every gate.</summary>
    private async Task<ReleaseReport> EvaluateAsync(EvaluationRequest? request, WatchLook? look, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        request?.History?.Validate();
        var scope = new EvaluationScope(cancellationToken) { Look = look }; // what gates share in this evaluation, handed to each
        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        var selected = Enumerable.Range(0, _registrations.Length)
            .Where(i => request is null || request.Tags.Count == 0 || _registrations[i].TagSet.Overlaps(request.Tags))
            .ToArray();
        var reports = new GateReport[selected.Length];
        var subject = _options.Subject.WithCiDefaults(_getVariable);
        var history = request?.History is { } historyOptions
            ? await HistoryStep.BeginAsync(historyOptions, subject, request.Baseline is not null, _time, _secretForms, cancellationToken)
                .ConfigureAwait(false)
            : null;
        Func<string, GateBaseline?> baselineOf = request?.Baseline is { } explicitBaseline
            ? name => explicitBaseline.FindGate(name) is { } earlier ? new GateBaseline(earlier.Measurements) : null
            : name => history?.For(name);
        await RunGatesAsync(selected, reports, request, baselineOf, scope, cancellationToken).ConfigureAwait(false);
        if (history is not null)
        {
            reports = history.AddFlapping(reports);
        }

        var waived = WaiverApplication.Apply(reports, _waivers, DateOnly.FromDateTime(startedAt.UtcDateTime));
        var scoring = _options.Scoring.Copy();
        var outcome = ReleaseScoring.Decide(waived.Gates, scoring);
        var (decision, reasons) = HistoryVerdict.Apply(outcome.Decision, outcome.Reasons, history?.Report);
        var report = new ReleaseReport
        {
            Subject = subject,
            BaselineSubject = request?.Baseline?.Subject ?? history?.BaselineSubject,
            StartedAt = startedAt,
            Duration = _time.GetElapsedTime(started),
            Scoring = scoring,
            Gates = waived.Gates,
            Waivers = waived.Waivers,
            Decision = decision,
            Score = outcome.Score,
            Categories = outcome.Categories,
            Importances = outcome.Importances,
            Reasons = reasons,
            DecidingGates = outcome.DecidingGates,
        };
        LogDecided(_logger, ReportFormat.Decision(report.Decision), report.Score ?? double.NaN);
        return history is null
            ? report
            : await history.FinishAsync(report, HistoryVerdict.BaselineDecision(report.Gates, scoring, report.Decision),
                cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the selected gates, at most <see cref="ReleaseGatesOptions.MaximumConcurrency"/> at a time, each report into its slot.</summary>
    private async Task RunGatesAsync(int[] selected, GateReport[] reports, EvaluationRequest? request, Func<string, GateBaseline?> baselineOf,
        EvaluationScope scope, CancellationToken cancellationToken)
    {
        LogStarting(_logger, selected.Length, _options.MaximumConcurrency);
        using var throttle = new SemaphoreSlim(_options.MaximumConcurrency);
        var tasks = new Task[selected.Length];
        for (var k = 0; k < selected.Length; k++)
        {
            var slot = k;
            tasks[k] = RunThrottledAsync(throttle, slot, selected[slot], reports, request, baselineOf, scope, cancellationToken);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public Task<ReleaseReport> WatchAsync(WatchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy(); // what the caller changes during the watch reaches no round
        options.Validate();
        options.Request?.History?.Validate();

        // The rounds read their baseline from the history but record nothing: the watch's final report is the one recorded.
        if (options.Request is { History: { Record: true } history } request)
        {
            var rounds = new EvaluationRequest { Baseline = request.Baseline, Progress = request.Progress, History = history.WithoutRecording() };
            rounds.Tags.UnionWith(request.Tags);
            options.Request = rounds;
            return WatchAndRecordAsync(new ReleaseWatch(options, _time, EvaluateAsync), history, cancellationToken);
        }

        return new ReleaseWatch(options, _time, EvaluateAsync).RunAsync(cancellationToken);
    }

    private async Task<ReleaseReport> WatchAndRecordAsync(ReleaseWatch watch, EvaluationHistory history, CancellationToken cancellationToken)
    {
        var final = await watch.RunAsync(cancellationToken).ConfigureAwait(false);
        return await HistoryStep.RecordAsync(history, final, _time, _secretForms, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunThrottledAsync(
        SemaphoreSlim throttle, int slot, int index, GateReport[] reports, EvaluationRequest? request, Func<string, GateBaseline?> baselineOf,
            EvaluationScope scope, CancellationToken cancellationToken)
    {
        await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var progress = request?.Progress is { } sink ? new GateProgressReporter(_registrations[index].Name, sink, _time) : null;
            progress?.Started();
            var report = await RunGateAsync(index, baselineOf(_registrations[index].Name), scope, progress, cancellationToken).ConfigureAwait(false);
            progress?.Finished(report.Status, report.Duration);
            reports[slot] = report;
        }
        finally
        {
            throttle.Release();
        }
    }

    private async Task<GateReport> RunGateAsync(int index, GateBaseline? baseline, EvaluationScope scope, GateProgressReporter? progress,
        CancellationToken cancellationToken)
    {
        var registration = _registrations[index];
        var started = _time.GetTimestamp();

        // The gate runs off the caller's thread, so one that blocks synchronously delays no other gate; and it is cut at
        // its deadline whether or not it honours its token (a gate that ignores cancellation is abandoned, not awaited).
        var work = Task.Run(
            () => EvaluateGateAsync(index, baseline, scope, progress, cancellationToken),
            CancellationToken.None);
        GateResult result;
        try
        {
            result = await work.WaitAsync(HardDeadline(_timeouts[index]), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abandon(work);
            result = GateResult.Error($"Timed out after {FormatDuration(_timeouts[index])}, the gate did not stop when cancelled and was abandoned.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Abandon(work);
            throw;
        }

        var duration = _time.GetElapsedTime(started);
        var (status, measurements) = GateVerdict.Settle(result.Status, result.Measurements, result.Findings);

        // Credentials a gate saw (a password in a URL, a token in a query, an echoed header) never reach a writer or a log.
        var summary = Redaction.Redact(result.Summary, _secretForms)!;
        if (status == GateStatus.Error)
        {
            // The exception object is not logged: its message and data may hold what the summary had redacted.
            LogGateError(_logger, registration.Name, summary, result.Exception?.GetType().Name);
        }

        return new GateReport
        {
            Name = registration.Name,
            Category = registration.Category,
            Importance = registration.Importance,
            Weight = registration.Weight,
            ReportOnly = registration.ReportOnly,
            Tags = registration.Tags,
            Status = status,
            Summary = summary,
            Score = result.Score,
            Duration = duration,
            Measurements = Redact(measurements, _secretForms),
            Findings = Redact(result.Findings, _secretForms),
            Distributions = [.. result.Distributions.Select(d => d with { Target = Redaction.Redact(d.Target, _secretForms) })],
        };
    }

    /// <summary>Creates and runs one gate through its pipeline; every outcome but the caller's cancellation is a result.</summary>
    private async Task<GateResult> EvaluateGateAsync(int index, GateBaseline? baseline, EvaluationScope scope,
        GateProgressReporter? progress, CancellationToken cancellationToken)
    {
        var registration = _registrations[index];
        try
        {
            var gate = registration.Factory(_services)
                ?? throw new InvalidOperationException($"The factory of gate '{registration.Name}' returned null.");
            var context = new GateContext(
                registration.Name, _services, _time, _loggerFactory.CreateLogger("ReleaseGates.Gates." + registration.Name), baseline, scope, progress)
            {
                WatchRound = scope.Look?.Round,
                WatchRounds = scope.Look?.Rounds,
            };
            return await _pipelines[index].ExecuteAsync(
                static (state, token) => state.gate.EvaluateAsync(state.context, token),
                (gate, context),
                cancellationToken).ConfigureAwait(false)
                ?? GateResult.Error($"Gate '{registration.Name}' returned no result.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            return GateResult.Error($"Timed out after {FormatDuration(_timeouts[index])}.", ex);
        }
        catch (OperationCanceledException ex)
        {
            return GateResult.Error("The gate was cancelled by something other than the caller: " + ex.Message, ex);
        }
        catch (Exception ex)
        {
            return GateResult.Error($"{ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// When a gate that ignores its token is cut: its timeout plus a grace of 10 % (at least 100 ms, at most 2 s) in which a
    /// cooperative gate reports its own timeout.
    /// </summary>
    internal static TimeSpan HardDeadline(TimeSpan timeout)
        => timeout + TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(2).Ticks));

    /// <summary>Leaves a gate that did not stop running on its own; whatever it throws later is observed, never unhandled.</summary>
    private static void Abandon(Task work)
        => work.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private ResiliencePipeline<GateResult> BuildPipeline(GateRegistration registration, TimeSpan timeout)
    {
        var builder = new ResiliencePipelineBuilder<GateResult> { TimeProvider = _time, Name = registration.Name };
        builder.AddTimeout(timeout);
        _options.ConfigureResilience?.Invoke(builder);
        registration.ConfigureResilience?.Invoke(builder);
        return builder.Build();
    }

    private static string FormatDuration(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.###} s" : $"{t.TotalMilliseconds:0.###} ms";

    [LoggerMessage(1, LogLevel.Information, "Evaluating {Count} release gates, {Parallelism} at a time")]
    private static partial void LogStarting(ILogger logger, int count, int parallelism);

    [LoggerMessage(2, LogLevel.Information, "Release decision: {Decision} (score {Score:0.#})")]
    private static partial void LogDecided(ILogger logger, string decision, double score);

    [LoggerMessage(3, LogLevel.Warning, "Gate {Gate} could not be evaluated: {Reason} ({ExceptionType})")]
    private static partial void LogGateError(ILogger logger, string gate, string reason, string? exceptionType);

    private static IReadOnlyList<Measurement> Redact(IReadOnlyList<Measurement> measurements, IReadOnlyList<string> secrets)
    {
        Measurement[]? copy = null;
        for (var i = 0; i < measurements.Count; i++)
        {
            var m = measurements[i];
            var name = Redaction.Redact(m.Name, secrets)!;
            var target = Redaction.Redact(m.Target, secrets);
            if (!ReferenceEquals(target, m.Target) || !ReferenceEquals(name, m.Name))
            {
                copy ??= [.. measurements];
                copy[i] = m with { Name = name, Target = target };
            }
        }

        return copy ?? measurements;
    }

    private static IReadOnlyList<Finding> Redact(IReadOnlyList<Finding> findings, IReadOnlyList<string> secrets)
    {
        Finding[]? copy = null;
        for (var i = 0; i < findings.Count; i++)
        {
            var f = findings[i];
            var redacted = f with
            {
                Message = Redaction.Redact(f.Message, secrets)!,
                Target = Redaction.Redact(f.Target, secrets),
                Observed = Redaction.Redact(f.Observed, secrets),
                Remediation = Redaction.Redact(f.Remediation, secrets),
            };
            if (redacted != f)
            {
                copy ??= [.. findings];
                copy[i] = redacted;
            }
        }

        return copy ?? findings;
    }
}
