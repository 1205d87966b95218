using Microsoft.Extensions.Logging;

namespace ReleaseGates;

/// <summary>
/// What a gate is given when it runs, and what it passes on to the sources it reads: its name, services, clock, logger
/// and baseline, and the evaluation it runs in (<see cref="RunOnceAsync"/> shares work between gates,
/// <see cref="ReportProgress(string)"/> tells the caller how far the gate got). Explicit, as Polly's <c>ResilienceContext</c>:
/// nothing reaches a gate or a source through ambient state.
/// </summary>
public sealed class GateContext
{
    private readonly IEvaluationRuns? _runs;
    private readonly IGateProgressSink? _progress;

    /// <summary>Creates a context. Hosts and tests that call a gate directly use this; the evaluator creates one per gate.</summary>
    /// <param name="gateName">The registered name of the gate.</param>
    /// <param name="services">Services for the gate to resolve dependencies from.</param>
    /// <param name="timeProvider">The clock; gates never read <c>DateTime.Now</c>.</param>
    /// <param name="logger">The gate's logger.</param>
    /// <param name="baseline">What this gate measured in an earlier release, to compare against, if a baseline was given.</param>
    public GateContext(string gateName, IServiceProvider services, TimeProvider timeProvider, ILogger logger, GateBaseline? baseline = null)
        : this(gateName, services, timeProvider, logger, baseline, null, null)
    {
    }

    /// <summary>The evaluator's context of one gate in one evaluation: its shared runs and its progress sink.</summary>
    internal GateContext(string gateName, IServiceProvider services, TimeProvider timeProvider, ILogger logger, GateBaseline? baseline,
        IEvaluationRuns? runs, IGateProgressSink? progress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gateName);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        GateName = gateName;
        Services = services;
        TimeProvider = timeProvider;
        Logger = logger;
        Baseline = baseline;
        _runs = runs;
        _progress = progress;
    }

    /// <summary>The registered name of the gate.</summary>
    public string GateName { get; }

    /// <summary>Services for the gate to resolve dependencies from.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The gate's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// The round of a watch (<see cref="IReleaseGateEvaluator.WatchAsync"/>) this evaluation is, 1 for the first; null
    /// when the evaluation is not part of a watch.
    /// </summary>
    /// <remarks>
    /// A gate that decides by a confidence interval every round looks at the data again and again, and each look is a
    /// new chance of a false alarm; with <see cref="WatchRounds"/> it can spend its error rate over the looks, as the
    /// canary judge does.
    /// </remarks>
    public int? WatchRound { get; init; }

    /// <summary>
    /// The most rounds the watch this evaluation belongs to can run (its count, or the rounds that fit its duration); null
    /// outside a watch. A watch may stop earlier, at a limit.
    /// </summary>
    public int? WatchRounds { get; init; }

    /// <summary>
    /// What this gate measured in the baseline release (its entry in the baseline report, matched by name), or
    /// <see langword="null"/> when no baseline was given or it has no gate of this name.
    /// </summary>
    public GateBaseline? Baseline { get; }

    /// <summary>
    /// Runs <paramref name="run"/> once per evaluation for <paramref name="key"/>, however many gates ask: the first asks
    /// it to start (under the evaluation's token, so one gate's timeout does not cancel what the others wait for), every
    /// other gate that asks with the same key (compared by reference) waits for the same result. A load probe behind
    /// both a latency and an error-rate gate sends its requests once this way. Outside an evaluation (a context a test or
    /// host made itself) it simply runs.
    /// </summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="key">What identifies the work: the source's own options object, for example.</param>
    /// <param name="run">The work, given the token it runs under.</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    /// <returns>The result the run produced for every caller.</returns>
    public Task<T> RunOnceAsync<T>(object key, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(run);
        return _runs is null ? run(cancellationToken) : _runs.SharedAsync(key, run, cancellationToken);
    }

    /// <summary>
    /// Tells the evaluation's progress listener (<see cref="EvaluationRequest.Progress"/>) how far this gate got, such as
    /// "1,200 requests"; steps closer together than a quarter second are left out. Nothing happens when nobody listens.
    /// </summary>
    /// <param name="detail">How far the gate got.</param>
    public void ReportProgress(string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        _progress?.Running(() => detail);
    }

    /// <summary>As <see cref="ReportProgress(string)"/>, with the detail made only when the step is told.</summary>
    internal void ReportProgressLazily(Func<string> detail) => _progress?.Running(detail);

    /// <summary>Whether anybody listens to this gate's progress.</summary>
    internal bool HasProgressListener => _progress is not null;
}
