namespace ReleaseGates;

/// <summary>
/// Something a gate noticed, with a stable code (for example <c>hsts.missing</c>) that tools and people can search for.
/// </summary>
/// <param name="Code">A stable, lower-case, dot-separated identifier such as <c>hsts.max-age-too-short</c>.</param>
/// <param name="Severity">How serious the finding is.</param>
/// <param name="Message">A readable explanation, including the value that was seen and how to fix it where known.</param>
public sealed record Finding(string Code, FindingSeverity Severity, string Message)
{
    /// <summary>What the finding is about: a URL, a file and line range, a table, an endpoint. <see langword="null"/> when it is the gate as a whole.</summary>
    public string? Target { get; init; }

    /// <summary>
    /// The 1-based line of <see cref="Target"/> (a file) the finding is about, or <see langword="null"/>. Code-scanning
    /// (SARIF) results point at it, and the text, Markdown and JUnit reports print it as <c>file:line</c>.
    /// </summary>
    public int? Line { get; init; }

    /// <summary>The value the gate saw (a header's value, a cookie, a checksum), or <see langword="null"/>.</summary>
    public string? Observed { get; init; }

    /// <summary>How to fix it, where known (for ASP.NET Core, the middleware line or Kestrel option), or <see langword="null"/>.</summary>
    public string? Remediation { get; init; }

    /// <summary>
    /// The <see cref="Waiver.Id"/> of the waiver that covers this finding, or <see langword="null"/>. A covered finding
    /// counts as met. Set by the evaluation from its configured waivers only: a mark that comes from anywhere else (a
    /// gate, an edited report) is cleared when the waivers are applied or a report is replayed.
    /// </summary>
    [System.Text.Json.Serialization.JsonInclude]
    public string? WaivedBy { get; internal init; }

    /// <summary>The target with its line, as the reports print it: <c>CHECKLIST.md:27</c>; <see langword="null"/> without a target.</summary>
    internal string? Location =>
        Target is null ? null : Line is { } line ? $"{Target}:{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : Target;

    /// <summary>The status this finding imposes on its gate: <see cref="GateStatus.Failed"/> for errors, <see cref="GateStatus.Warning"/> for warnings, otherwise (and when waived) <see cref="GateStatus.Passed"/>.</summary>
    internal GateStatus ImpliedStatus => WaivedBy is not null ? GateStatus.Passed : Severity switch
    {
        FindingSeverity.Error => GateStatus.Failed,
        FindingSeverity.Warning => GateStatus.Warning,
        _ => GateStatus.Passed,
    };
}
