namespace ReleaseGates;

/// <summary>Options of the security-headers gate (<c>AddSecurityHeaders</c>). See <c>docs/gates/security-headers.md</c>.</summary>
public sealed class SecurityHeadersGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Security"/>.</summary>
    public SecurityHeadersGateOptions() => Category = GateCategories.Security;

    /// <summary>The page to check, usually the site's https front page. Required.</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// Where plain http is served, to check that it redirects to https. Default: <see cref="Url"/> with the http scheme on
    /// port 80 (nothing listening there counts as "no http, no redirect needed"). Ignored when <see cref="Url"/> is http itself.
    /// </summary>
    public Uri? HttpUrl { get; set; }

    /// <summary>Whether the plain-http redirect is checked. Default: true.</summary>
    public bool CheckHttpRedirect { get; set; } = true;

    /// <summary>Whether CORS is probed with a foreign <c>Origin</c> (on the request and in a preflight) to catch an origin echoed back with credentials. Default: true.</summary>
    public bool CheckCors { get; set; } = true;

    /// <summary>The rules applied besides the score. Default: <see cref="SecurityHeadersProfile.Observatory"/>.</summary>
    public SecurityHeadersProfile Profile { get; set; } = SecurityHeadersProfile.Observatory;

    /// <summary>The Observatory scoring version. Default: <see cref="ObservatoryAlgorithm.Version5"/> (the released v1.6.3).</summary>
    public ObservatoryAlgorithm Algorithm { get; set; } = ObservatoryAlgorithm.Version5;

    /// <summary>The lowest Observatory grade that passes (A+, A, A-, B+, B, …, F), or <see langword="null"/> to report the score without judging it. Default: B (score 70).</summary>
    public string? MinimumGrade { get; set; } = "B";

    /// <summary>The lowest grade that passes without a warning, or <see langword="null"/>. Default: none.</summary>
    public string? WarningGrade { get; set; }

    /// <summary>Headers that must be present (names compared without case).</summary>
    public ISet<string> RequiredHeaders { get; private set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers that must be absent, e.g. <c>X-Powered-By</c>.</summary>
    public ISet<string> ForbiddenHeaders { get; private set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers whose (first) value must match a regular expression, e.g. <c>["Cache-Control"] = "no-store"</c>.</summary>
    public IDictionary<string, string> RequiredHeaderValues { get; private set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How requests are sent: client, retries, timeouts, redirects, body cap.</summary>
    public HttpProbeOptions Probe { get; private set; } = new();

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{nameof(Url)} must be an absolute http or https URL, but was '{Url}'.");
        }

        if (HttpUrl is not null && (!HttpUrl.IsAbsoluteUri || HttpUrl.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{nameof(HttpUrl)} must be an absolute http URL, but was '{HttpUrl}'.");
        }

        if (!Enum.IsDefined(Algorithm))
        {
            problems.Add($"{nameof(Algorithm)} {(int)Algorithm} is not an Observatory algorithm version (5 or 6).");
        }

        foreach (var (name, grade) in new[] { (nameof(MinimumGrade), MinimumGrade), (nameof(WarningGrade), WarningGrade) })
        {
            if (grade is not null && ObservatoryScorer.MinimumScore(grade) is null)
            {
                problems.Add($"{name} '{grade}' is not a grade: A+, A, A-, B+, B, B-, C+, C, C-, D+, D, D- or F.");
            }
        }

        if (MinimumGrade is not null && WarningGrade is not null && ObservatoryScorer.MinimumScore(WarningGrade) < ObservatoryScorer.MinimumScore(MinimumGrade))
        {
            problems.Add($"{nameof(WarningGrade)} {WarningGrade} is below {nameof(MinimumGrade)} {MinimumGrade}.");
        }

        foreach (var (header, pattern) in RequiredHeaderValues)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                problems.Add($"{nameof(RequiredHeaderValues)}[{header}] is not a regular expression: {ex.Message}");
            }
        }

        Probe.Validate(problems);
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (SecurityHeadersGateOptions)base.Clone();
        copy.RequiredHeaders = new HashSet<string>(RequiredHeaders, StringComparer.OrdinalIgnoreCase);
        copy.ForbiddenHeaders = new HashSet<string>(ForbiddenHeaders, StringComparer.OrdinalIgnoreCase);
        copy.RequiredHeaderValues = new Dictionary<string, string>(RequiredHeaderValues, StringComparer.OrdinalIgnoreCase);
        copy.Probe = Probe.Copy();
        return copy;
    }
}
