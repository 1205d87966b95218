namespace ReleaseGates;

/// <summary>What is being released.</summary>
public sealed record ReleaseSubject
{
    /// <summary>The service or application name.</summary>
    public string? Service { get; init; }

    /// <summary>The version being released.</summary>
    public string? Version { get; init; }

    /// <summary>The source commit.</summary>
    public string? Commit { get; init; }

    /// <summary>The target environment (staging, production, …).</summary>
    public string? Environment { get; init; }

    /// <summary>The source branch, such as <c>main</c>; a history can keep baselines per branch.</summary>
    public string? Branch { get; init; }

    /// <summary>
    /// Fills empty values from common CI variables: the commit from <c>GITHUB_SHA</c>, <c>CI_COMMIT_SHA</c>,
    /// <c>BUILD_SOURCEVERSION</c> or <c>GIT_COMMIT</c>; the service from <c>GITHUB_REPOSITORY</c>, <c>CI_PROJECT_NAME</c>
    /// or <c>BUILD_REPOSITORY_NAME</c>; the version from <c>GITHUB_REF_NAME</c>, <c>CI_COMMIT_TAG</c> or <c>BUILD_BUILDNUMBER</c>;
    /// the environment from <c>RELEASEGATES_ENVIRONMENT</c> or <c>DOTNET_ENVIRONMENT</c>; the branch from
    /// <c>GITHUB_HEAD_REF</c> (a pull request's source), <c>CI_COMMIT_REF_NAME</c>, <c>BUILD_SOURCEBRANCHNAME</c> or <c>GIT_BRANCH</c>.
    /// </summary>
    /// <param name="getVariable">Reads an environment variable; <see langword="null"/> for the process environment.</param>
    /// <returns>A subject with the gaps filled where a variable is set.</returns>
    public ReleaseSubject WithCiDefaults(Func<string, string?>? getVariable = null)
    {
        getVariable ??= System.Environment.GetEnvironmentVariable;
        string? First(params string[] names) => names.Select(getVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return this with
        {
            Service = Service ?? First("GITHUB_REPOSITORY", "CI_PROJECT_NAME", "BUILD_REPOSITORY_NAME"),
            Version = Version ?? First("GITHUB_REF_NAME", "CI_COMMIT_TAG", "BUILD_BUILDNUMBER"),
            Commit = Commit ?? First("GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "GIT_COMMIT"),
            Environment = Environment ?? First("RELEASEGATES_ENVIRONMENT", "DOTNET_ENVIRONMENT"),
            Branch = Branch ?? First("GITHUB_HEAD_REF", "CI_COMMIT_REF_NAME", "BUILD_SOURCEBRANCHNAME", "GIT_BRANCH"),
        };
    }
}
