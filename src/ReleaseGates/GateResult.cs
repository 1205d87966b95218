namespace ReleaseGates;

/// <summary>The outcome of one gate: a status, a one-line summary, the evidence and the findings.</summary>
public sealed class GateResult
{
    private static readonly IReadOnlyList<Measurement> NoMeasurements = [];
    private static readonly IReadOnlyList<Finding> NoFindings = [];

    /// <summary>Creates a result. Prefer the static factories.</summary>
    /// <param name="status">The gate's status.</param>
    /// <param name="summary">A one-line summary of what was found.</param>
    /// <param name="measurements">The values measured.</param>
    /// <param name="findings">What was noticed.</param>
    /// <param name="score">An optional 0–100 score the gate computes itself (for example a security-header grade).</param>
    /// <param name="exception">The exception behind an <see cref="GateStatus.Error"/> result.</param>
    public GateResult(
        GateStatus status,
        string summary,
        IReadOnlyList<Measurement>? measurements = null,
        IReadOnlyList<Finding>? findings = null,
        double? score = null,
        Exception? exception = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown gate status.");
        }

        if (score is { } s && (double.IsNaN(s) || s < 0 || s > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "A gate score lies between 0 and 100.");
        }

        Status = status;
        Summary = summary;

        // Copied, so that nothing the gate does with its lists afterwards reaches the report.
        Measurements = measurements is null || measurements.Count == 0 ? NoMeasurements : [.. measurements];
        Findings = findings is null || findings.Count == 0 ? NoFindings : [.. findings];
        ValidateEvidence(Measurements, Findings);
        Score = score;
        Exception = exception;
    }

    /// <summary>The gate's status.</summary>
    public GateStatus Status { get; }

    /// <summary>A one-line summary of what was found.</summary>
    public string Summary { get; }

    /// <summary>The values measured, each with its condition and outcome.</summary>
    public IReadOnlyList<Measurement> Measurements { get; }

    /// <summary>What was noticed, each with a stable code.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>An optional 0–100 score computed by the gate itself. Shown in reports; the release score uses the status.</summary>
    public double? Score { get; }

    /// <summary>The exception behind an <see cref="GateStatus.Error"/> result, if any. Not serialized.</summary>
    public Exception? Exception { get; }

    /// <summary>
    /// The distributions the gate measured, as percentile curves (a latency gate's from its source's histogram): drawn by
    /// the HTML report. Evidence only: they decide nothing. Empty when the gate has none.
    /// </summary>
    public IReadOnlyList<PercentileCurve> Distributions
    {
        get;
        init => field = value is null || value.Count == 0 ? [] : value.Contains(null!)
            ? throw new ArgumentException("A distribution is null.", nameof(value)) : [.. value];
    } = [];

    /// <summary>This result with <paramref name="distributions"/> as its <see cref="Distributions"/>, all else kept.</summary>
    internal GateResult WithDistributions(IReadOnlyList<PercentileCurve> distributions)
        => new(Status, Summary, Measurements, Findings, Score, Exception) { Distributions = distributions };

    /// <summary>
    /// This result with the evidence its source gave about the read (a fleet's answered instances, a range read's
    /// queries) added, named after <paramref name="side"/> when a gate reads two sources; its status the worse of its own
    /// and what that evidence implies, and inconclusive (skipped) instead of a pass or warning when the source says its own
    /// measurement cannot be trusted (<paramref name="inconclusive"/>, why: a load probe that did not generate its rate).
    /// </summary>
    internal GateResult WithSourceEvidence(IReadOnlyList<Measurement> measurements, IReadOnlyList<Finding> findings, string? side = null,
        string? inconclusive = null)
    {
        var result = WithSourceEvidence(measurements, findings, side);
        if (inconclusive is null || result.Status is not (GateStatus.Passed or GateStatus.Warning))
        {
            return result; // a failure or an error stands whatever the source says about itself
        }

        var summary = $"Inconclusive: {(side is null ? "" : side + ": ")}{inconclusive} (the conditions alone: {result.Summary})";
        return new(GateStatus.Skipped, summary, result.Measurements, result.Findings, result.Score, result.Exception) { Distributions = result.Distributions };
    }

    private GateResult WithSourceEvidence(IReadOnlyList<Measurement> measurements, IReadOnlyList<Finding> findings, string? side)
    {
        if (measurements.Count == 0 && findings.Count == 0)
        {
            return this;
        }

        var added = side is null ? measurements : [.. measurements.Select(m => m with { Name = side + "-" + m.Name })];
        var status = GateVerdict.Worst(Status, GateVerdict.FromEvidence(added, findings));
        return new(status, Summary, [.. Measurements, .. added], [.. Findings, .. findings], Score, Exception) { Distributions = Distributions };
    }

    /// <summary>A passed result.</summary>
    /// <param name="summary">A one-line summary.</param>
    /// <param name="measurements">The values measured.</param>
    /// <param name="findings">Informational findings.</param>
    /// <returns>The result.</returns>
    public static GateResult Passed(string summary, IReadOnlyList<Measurement>? measurements = null, IReadOnlyList<Finding>? findings = null)
        => new(GateStatus.Passed, summary, measurements, findings);

    /// <summary>A warning result: a warning threshold was crossed, no failure threshold.</summary>
    /// <param name="summary">A one-line summary.</param>
    /// <param name="measurements">The values measured.</param>
    /// <param name="findings">What was noticed.</param>
    /// <returns>The result.</returns>
    public static GateResult Warning(string summary, IReadOnlyList<Measurement>? measurements = null, IReadOnlyList<Finding>? findings = null)
        => new(GateStatus.Warning, summary, measurements, findings);

    /// <summary>A failed result: the gate evaluated and the release fell short.</summary>
    /// <param name="summary">A one-line summary.</param>
    /// <param name="measurements">The values measured.</param>
    /// <param name="findings">What was noticed.</param>
    /// <returns>The result.</returns>
    public static GateResult Failed(string summary, IReadOnlyList<Measurement>? measurements = null, IReadOnlyList<Finding>? findings = null)
        => new(GateStatus.Failed, summary, measurements, findings);

    /// <summary>An error result: the gate could not evaluate (bad input, unreachable target).</summary>
    /// <param name="reason">Why the gate could not evaluate, naming the file, line, field or target involved.</param>
    /// <param name="exception">The exception behind it, if any.</param>
    /// <returns>The result.</returns>
    public static GateResult Error(string reason, Exception? exception = null)
        => new(GateStatus.Error, reason, exception: exception);

    /// <summary>An inconclusive result: there was no data to judge. Never counts as a pass.</summary>
    /// <param name="reason">Why there was nothing to judge.</param>
    /// <param name="measurements">Any values that were measured.</param>
    /// <returns>The result.</returns>
    public static GateResult Skipped(string reason, IReadOnlyList<Measurement>? measurements = null)
        => new(GateStatus.Skipped, reason, measurements);

    /// <summary>
    /// A result whose status is derived from its evidence: the worst of the measurements' statuses and the statuses
    /// the findings imply (<see cref="FindingSeverity.Error"/> fails, <see cref="FindingSeverity.Warning"/> warns).
    /// </summary>
    /// <param name="summary">A one-line summary.</param>
    /// <param name="measurements">The values measured.</param>
    /// <param name="findings">What was noticed.</param>
    /// <returns>The result.</returns>
    public static GateResult FromEvidence(string summary, IReadOnlyList<Measurement> measurements, IReadOnlyList<Finding>? findings = null)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        return new(GateVerdict.FromEvidence(measurements, findings ?? NoFindings), summary, measurements, findings);
    }

    /// <summary>
    /// A summary that leads with what fell short (worst first: <c>p(99) 720 ms against p(99) &lt; 250ms</c>), then the
    /// context; just the context when everything held. A NO-GO reason then names the number that decided it.
    /// </summary>
    internal static string LeadWithShortfalls(IReadOnlyList<Measurement> measurements, string context)
    {
        var shortfalls = measurements
            .Where(m => m.Condition is not null && m.Status is not GateStatus.Passed)
            .OrderBy(m => m.Status)
            .Select(m => $"{m.Name} {MetricUnitFormat.Format(m.Value, m.Unit)} against {m.Condition}")
            .ToList();
        return shortfalls.Count == 0 ? context : $"{string.Join("; ", shortfalls)} ({context})";
    }

    /// <summary>Rejects evidence no report can hold: null entries, nameless measurements, undefined enum values.</summary>
    private static void ValidateEvidence(IReadOnlyList<Measurement> measurements, IReadOnlyList<Finding> findings)
    {
        for (var i = 0; i < measurements.Count; i++)
        {
            var m = measurements[i];
            var problem = m switch
            {
                null => "is null",
                { Name: null or "" } => "has no name",
                _ when !Enum.IsDefined(m.Unit) => $"'{m.Name}' has an undefined unit ({(int)m.Unit})",
                _ when !Enum.IsDefined(m.Status) => $"'{m.Name}' has an undefined status ({(int)m.Status})",
                { Condition: { } c } when !Enum.IsDefined(c.Operator) || !IsDefined(c.Threshold) || !IsDefined(c.UpperThreshold)
                    || !IsDefined(c.WarningThreshold) || !IsDefined(c.Floor)
                    => $"'{m.Name}' has a condition with an undefined operator or unit",
                _ => null,
            };
            if (problem is not null)
            {
                throw new ArgumentException($"Measurement {i} {problem}.", nameof(measurements));
            }
        }

        for (var i = 0; i < findings.Count; i++)
        {
            var f = findings[i];
            var problem = f switch
            {
                null => "is null",
                { Code: null or "" } => "has no code",
                { Message: null } => $"'{f.Code}' has no message",
                _ when !Enum.IsDefined(f.Severity) => $"'{f.Code}' has an undefined severity ({(int)f.Severity})",
                _ => null,
            };
            if (problem is not null)
            {
                throw new ArgumentException($"Finding {i} {problem}.", nameof(findings));
            }
        }
    }

    private static bool IsDefined(Threshold? threshold) => threshold is not { } t || Enum.IsDefined(t.Unit);
}
