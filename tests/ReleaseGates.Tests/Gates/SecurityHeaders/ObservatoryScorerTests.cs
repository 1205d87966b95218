namespace ReleaseGates.Tests.Gates.SecurityHeaders;

public class ObservatoryScorerTests
{
    [Theory]
    [InlineData(145, "A+")]
    [InlineData(100, "A+")]
    [InlineData(99, "A")]
    [InlineData(85, "A-")]
    [InlineData(84, "B+")]
    [InlineData(70, "B")]
    [InlineData(65, "B-")]
    [InlineData(60, "C+")]
    [InlineData(50, "C")]
    [InlineData(45, "C-")]
    [InlineData(40, "D+")]
    [InlineData(30, "D")]
    [InlineData(25, "D-")]
    [InlineData(24, "F")]
    [InlineData(0, "F")]
    public void Grades_follow_the_observatory_chart(int score, string grade) => Assert.Equal(grade, ObservatoryScorer.Grade(score));

    [Fact]
    public void Bonuses_count_only_when_the_score_before_them_is_at_least_90()
    {
        static ObservatoryTest T(string result) => new("t", result, "d");
        var minus10 = T("hsts-implemented-max-age-less-than-six-months");
        Assert.Equal((100, "A+"), ObservatoryScorer.Score([minus10, T("referrer-policy-private"), T("sri-implemented-and-external-scripts-loaded-securely")])); // 90 → bonuses added
        Assert.Equal((85, "A-"), ObservatoryScorer.Score([minus10, T("referrer-policy-unsafe"), T("corp-implemented-with-same-origin")])); // 85 → bonuses dropped
        Assert.Equal((0, "F"), ObservatoryScorer.Score([T("sri-not-implemented-and-external-scripts-not-loaded-securely"), T("cross-origin-resource-sharing-implemented-with-universal-access"), T("csp-not-implemented")])); // never below zero
    }

    [Theory]
    [InlineData("max-age=31536000; includeSubDomains; preload", 31536000L, true, null)]
    [InlineData("MAX-AGE=15552000", 15552000L, false, null)]
    [InlineData("max-age=\"31536000\"", 0L, false, "max-age \"31536000\" is quoted; write a bare number of seconds")]
    [InlineData("max-age=abc", 0L, false, "max-age 'abc' is not a whole number of seconds")]
    [InlineData("includeSubDomains", 0L, true, "max-age is missing")]
    [InlineData("max-age=1, max-age=2", 0L, false, "the header is set more than once")]
    public void Parses_hsts_strictly(string header, long maxAge, bool subdomains, string? error)
    {
        var hsts = StrictTransportSecurity.Parse(header);
        Assert.Equal(error, hsts.Error);
        Assert.Equal(maxAge, hsts.MaxAge);
        Assert.Equal(subdomains, hsts.IncludeSubDomains);
    }

    [Fact]
    public void Csp_nonces_cancel_unsafe_inline_and_strict_dynamic_drops_host_sources()
    {
        var csp = ContentSecurityPolicy.Parse(["script-src 'self' 'unsafe-inline' 'nonce-abc' 'strict-dynamic' https:; object-src 'none'"]);
        Assert.Null(csp.Error);
        Assert.Equal(["'nonce-abc'", "'strict-dynamic'"], ContentSecurityPolicy.Effective(csp.Policies[0], "script-src"));
        Assert.Equal(["'none'"], ContentSecurityPolicy.Effective(csp.Policies[0], "object-src"));
        Assert.Equal(["*"], ContentSecurityPolicy.Effective(csp.Policies[0], "style-src"));
    }

    [Fact]
    public void Csp_with_a_repeated_directive_is_invalid_but_a_repeated_report_uri_is_not()
    {
        Assert.Equal("the directive 'script-src' appears twice in one policy", ContentSecurityPolicy.Parse(["script-src 'self'; script-src 'none'"]).Error);
        var reporting = ContentSecurityPolicy.Parse(["default-src 'self'; report-uri /a; report-uri /b"]);
        Assert.Null(reporting.Error);
        Assert.True(reporting.DuplicateReporting);
    }

    [Fact]
    public void A_weakness_counts_only_when_every_policy_shares_it()
    {
        var csp = ContentSecurityPolicy.Parse(["default-src 'self' 'unsafe-inline'", "default-src 'self'"]);
        Assert.Equal(2, csp.Policies.Count);
        Assert.False(csp.All(p => ContentSecurityPolicy.Effective(p, "script-src").Contains("'unsafe-inline'")));
    }
}
