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

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">The timeout is not positive, or the rule is invalid.</exception>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The history timeout must be more than zero and at most a day.");
        }

        Baseline?.Validate();
    }

    /// <summary>A copy that does not record (a watch's rounds).</summary>
    internal EvaluationHistory WithoutRecording() => new(Store)
    {
        Baseline = Baseline,
        Record = false,
        Fingerprint = Fingerprint,
        RunnerLabel = RunnerLabel,
        Timeout = Timeout,
    };
}
