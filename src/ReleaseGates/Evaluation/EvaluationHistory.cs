namespace ReleaseGates;

/// <summary>
/// The report history an evaluation uses (<see cref="EvaluationRequest.History"/>): where relative conditions find their
/// baseline by rule, and where the evaluation is recorded. A history that cannot be read or written never fails the
/// evaluation or hangs it past <see cref="Timeout"/>: the report says what went wrong (<see cref="ReleaseReport.History"/>).
/// </summary>
public sealed class EvaluationHistory
{
    /// <summary>Creates the settings for a store.</summary>
    /// <param name="store">The history, such as a <c>SqliteReleaseHistory</c>.</param>
    public EvaluationHistory(IReleaseHistory store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
    }

    /// <summary>The history.</summary>
    public IReleaseHistory Store { get; }

    /// <summary>
    /// How the baseline is chosen for relative conditions; <see langword="null"/> to take none from the history. Ignored when
    /// <see cref="EvaluationRequest.Baseline"/> gives a report explicitly. Default: <see cref="BaselineRule.LastPassing"/>.
    /// </summary>
    public BaselineRule? Baseline { get; set; } = BaselineRule.LastPassing;

    /// <summary>Whether the evaluation is recorded. Default: <see langword="true"/>. A watch records its final report only.</summary>
    public bool Record { get; set; } = true;

    /// <summary>
    /// The machine to record and to match baselines against; <see langword="null"/> for this one (<see
    /// cref="EnvironmentFingerprint.Current"/>).
    /// </summary>
    public EnvironmentFingerprint? Fingerprint { get; set; }

    /// <summary>
    /// A label for this runner (<c>ci-large</c>), added to the current machine's fingerprint; ignored when <see
    /// cref="Fingerprint"/> is given.
    /// </summary>
    public string? RunnerLabel { get; set; }

    /// <summary>How long reading the baseline, and recording, may each take before it is given up as an error. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many earlier evaluations the trends and the flapping check look at (same service and environment, invalidated ones
    /// left out). Default 10; 0 turns both off; at most 100.
    /// </summary>
    public int TrendLength { get; set; } = 10;

    /// <summary>
    /// How many changes of a gate's status within <see cref="TrendLength"/> earlier evaluations and this one make it flapping,
    /// reported as a <c>history.flapping</c> finding of <see cref="FlappingSeverity"/>. Default 3; at least 1.
    /// </summary>
    public int FlappingChanges { get; set; } = 3;

    /// <summary>
    /// The severity of a <c>history.flapping</c> finding: <see cref="FindingSeverity.Info"/> (the default) reports it,
    /// <see cref="FindingSeverity.Warning"/> makes the gate warn, <see cref="FindingSeverity.Error"/> fails it.
    /// </summary>
    public FindingSeverity FlappingSeverity { get; set; } = FindingSeverity.Info;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">The timeout is not positive, or the rule is invalid.</exception>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The history timeout must be more than zero and at most a day.");
        }

        Baseline?.Validate();
        if (TrendLength is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(TrendLength), TrendLength, "The trend length must be 0 to 100.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(FlappingChanges, 1);
        if (!Enum.IsDefined(FlappingSeverity))
        {
            throw new ArgumentOutOfRangeException(nameof(FlappingSeverity), FlappingSeverity, "Not a finding severity.");
        }
    }

    /// <summary>A copy that does not record (a watch's rounds).</summary>
    internal EvaluationHistory WithoutRecording() => new(Store)
    {
        Baseline = Baseline,
        Record = false,
        Fingerprint = Fingerprint,
        RunnerLabel = RunnerLabel,
        Timeout = Timeout,
        TrendLength = TrendLength,
        FlappingChanges = FlappingChanges,
        FlappingSeverity = FlappingSeverity,
    };
}
