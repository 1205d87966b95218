using Polly;

namespace ReleaseGates;

/// <summary>Settings that apply to the whole evaluation.</summary>
public sealed class ReleaseGatesOptions
{
    /// <summary>What is being released. Values left empty fall back to common CI variables (<c>GITHUB_SHA</c>, <c>CI_COMMIT_SHA</c>, <c>BUILD_SOURCEVERSION</c>, …).</summary>
    public ReleaseSubject Subject { get; set; } = new();

    /// <summary>How many gates run at once. Default: 4. Must be at least 1.</summary>
    public int MaximumConcurrency { get; set; } = 4;

    /// <summary>The timeout of a gate that sets none. Default: 5 minutes.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Scores and decision thresholds.</summary>
    public ScoringOptions Scoring { get; } = new();

    /// <summary>
    /// Accepted exceptions: each covers one finding code or measurement of one gate until its last day, and every one is
    /// listed in every report with what it did. Default: none. See <see cref="Waiver"/>.
    /// </summary>
    public IList<Waiver> Waivers { get; } = new List<Waiver>();

    /// <summary>Adds strategies to every gate's resilience pipeline, inside the gate's timeout. Default: none (timeout only).</summary>
    public Action<ResiliencePipelineBuilder<GateResult>>? ConfigureResilience { get; set; }

    internal void Validate(ICollection<string> problems)
    {
        if (MaximumConcurrency < 1)
        {
            problems.Add($"{nameof(MaximumConcurrency)} must be at least 1, but was {MaximumConcurrency}.");
        }

        if (DefaultTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(DefaultTimeout)} must be positive, but was {DefaultTimeout}.");
        }

        Scoring.Validate(problems);
        ValidateWaivers(problems);
    }

    private void ValidateWaivers(ICollection<string> problems)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Waivers.Count; i++)
        {
            var w = Waivers[i];
            var name = $"{nameof(Waivers)}[{i}]{(string.IsNullOrWhiteSpace(w?.Id) ? "" : $" ('{w.Id}')")}";
            foreach (var problem in w is null ? ["is null."] : w.Problems(ids))
            {
                problems.Add($"{name}: {problem}");
            }
        }
    }
}
