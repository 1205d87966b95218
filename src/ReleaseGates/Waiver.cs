namespace ReleaseGates;

/// <summary>
/// An accepted exception: one finding code or one measurement of one gate counts as met until <see cref="Expires"/>,
/// with the reason and who approved it. The finding or measurement stays in the report as it was, marked with
/// <see cref="Finding.WaivedBy"/> or <see cref="Measurement.WaivedBy"/>, and every waiver is listed in every report
/// with its state (<see cref="ReleaseReport.Waivers"/>). From the day after <see cref="Expires"/> (UTC) the waiver no
/// longer applies, and what it covered counts again. See <c>docs/waivers.md</c>.
/// </summary>
public sealed record Waiver
{
    /// <summary>A unique identifier, such as the ticket that records the decision (<c>SEC-142</c>). Findings and measurements it covers name it.</summary>
    public required string Id { get; init; }

    /// <summary>The name of the gate the waiver applies to (case-insensitive). It must be a registered gate.</summary>
    public required string Gate { get; init; }

    /// <summary>The finding code it covers, such as <c>csp.missing</c>. Set this or <see cref="Measurement"/>, not both.</summary>
    public string? Finding { get; init; }

    /// <summary>The measurement it covers, by name as the report shows it, such as <c>p(95)</c>. Set this or <see cref="Finding"/>, not both.</summary>
    public string? Measurement { get; init; }

    /// <summary>
    /// Narrows the waiver to one target: a URL, an endpoint, a file, or a file and line as reports print them
    /// (<c>CHECKLIST.md:27</c>). <c>*</c> matches any characters and <c>?</c> one; a pattern without a folder matches
    /// files by name, and the comparison ignores case. <see langword="null"/>: every target of the gate.
    /// </summary>
    public string? Target { get; init; }

    /// <summary>Why the release may ship with it. Required.</summary>
    public required string Reason { get; init; }

    /// <summary>Who accepted the exception. Required.</summary>
    public required string ApprovedBy { get; init; }

    /// <summary>The last day (UTC) the waiver applies. Required: no waiver is permanent.</summary>
    public required DateOnly Expires { get; init; }

    /// <summary>A link to the review, ticket or evidence behind the decision, or <see langword="null"/>.</summary>
    public Uri? Link { get; init; }

    /// <summary>Whether the waiver applies on <paramref name="day"/>: on or before its last day.</summary>
    /// <param name="day">The day (UTC) of the evaluation.</param>
    /// <returns><see langword="true"/> when the waiver is in force on that day.</returns>
    public bool IsInForceOn(DateOnly day) => day <= Expires;

    /// <summary>What is wrong with this waiver, each problem naming the property; <paramref name="ids"/> collects the ids seen so far, to find a second use.</summary>
    internal IEnumerable<string> Problems(ISet<string> ids)
    {
        if (string.IsNullOrWhiteSpace(Id))
        {
            yield return $"{nameof(Id)} must name the waiver (a ticket such as SEC-142).";
        }
        else if (!ids.Add(Id.Trim()))
        {
            yield return $"a second waiver with the {nameof(Id)} '{Id}'; ids must be unique.";
        }

        if (string.IsNullOrWhiteSpace(Gate))
        {
            yield return $"{nameof(Gate)} must name the gate it applies to.";
        }

        if (string.IsNullOrWhiteSpace(Finding) == string.IsNullOrWhiteSpace(Measurement))
        {
            yield return $"set exactly one of {nameof(Finding)} (a finding code) and {nameof(Measurement)} (a measurement's name).";
        }

        if (Target is not null && string.IsNullOrWhiteSpace(Target))
        {
            yield return $"{nameof(Target)} must not be empty; leave it out to cover every target.";
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            yield return $"{nameof(Reason)} must say why the release may ship with it.";
        }

        if (string.IsNullOrWhiteSpace(ApprovedBy))
        {
            yield return $"{nameof(ApprovedBy)} must say who accepted it.";
        }

        if (Expires == default)
        {
            yield return $"{nameof(Expires)} must be the waiver's last day (yyyy-MM-dd); no waiver is permanent.";
        }

        if (Link is not null && !(Link.IsAbsoluteUri && (Link.Scheme == Uri.UriSchemeHttp || Link.Scheme == Uri.UriSchemeHttps)))
        {
            yield return $"{nameof(Link)} must be an absolute http or https URL.";
        }
    }
}
