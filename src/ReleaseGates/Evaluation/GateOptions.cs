using Polly;

namespace ReleaseGates;

/// <summary>
/// How a gate is registered: its category, importance, weight, timeout, tags and resilience. Every gate's options
/// derive from this class, so <c>o.Importance = GateImportance.Optional</c> works the same on every gate.
/// </summary>
public class GateOptions
{
    /// <summary>
    /// The category the gate scores in. Default: the gate's own (for example <see cref="GateCategories.Quality"/> for
    /// coverage), <see cref="GateCategories.General"/> for custom gates.
    /// </summary>
    public string Category { get; set; } = GateCategories.General;

    /// <summary>How much the gate weighs in the decision. Default: <see cref="GateImportance.Required"/>.</summary>
    public GateImportance Importance { get; set; } = GateImportance.Required;

    /// <summary>The gate's weight within its category and in the overall score. Default: <c>1</c>. Must be positive.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>
    /// The most time the gate may take, retries included. Default: <see langword="null"/>, meaning <see
    /// cref="ReleaseGatesOptions.DefaultTimeout"/>.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Tags for evaluating a subset (<see cref="EvaluationRequest.Tags"/>). Default: none.</summary>
    public ISet<string> Tags { get; private set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Dry-run: the gate is evaluated and shown in the report, but never affects the score or the decision. Default:
    /// <see langword="false"/>.
    /// </summary>
    public bool ReportOnly { get; set; }

    /// <summary>
    /// Adds strategies (retry, circuit breaker, per-attempt timeout) to the gate's resilience pipeline, inside the gate's
    /// overall <see cref="Timeout"/> and after <see cref="ReleaseGatesOptions.ConfigureResilience"/>. Default: none.
    /// </summary>
    public Action<ResiliencePipelineBuilder<GateResult>>? ConfigureResilience { get; set; }

    /// <summary>Adds the problems of these options to <paramref name="problems"/>. Gates override this to check their own options; call the base.</summary>
    /// <param name="problems">Readable problems, each naming the option.</param>
    protected internal virtual void Validate(ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(Category))
        {
            problems.Add($"{nameof(Category)} must not be empty.");
        }

        if (!Enum.IsDefined(Importance))
        {
            problems.Add($"{nameof(Importance)} '{Importance}' is not a known importance.");
        }

        if (!(Weight > 0) || double.IsInfinity(Weight))
        {
            problems.Add($"{nameof(Weight)} must be a positive number, but was {Weight}.");
        }

        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(Timeout)} must be positive, but was {t}.");
        }
    }

    /// <summary>
    /// The credentials these options send (a Prometheus token or password, a secret request header's value): the
    /// evaluator masks each of them, and its base64 and URL-encoded forms, wherever they appear in this gate's report,
    /// so a server that echoes one back in an error page leaks nothing.
    /// </summary>
    internal virtual IEnumerable<string?> Secrets => [];

    /// <summary>
    /// A copy of these options for the gate to keep. Called once, when the gate is registered: the copy is validated, the
    /// gate is created from it, and nothing done to the original afterwards reaches the gate or a report (as Polly copies
    /// strategy options into the strategy). The base copies every field (a shallow copy) and its own collections;
    /// options with collections or nested mutable objects of their own override this, call the base and copy those too.
    /// </summary>
    /// <returns>A copy that shares no mutable state with these options.</returns>
    protected internal virtual GateOptions Clone()
    {
        var copy = (GateOptions)MemberwiseClone();
        copy.Tags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase);
        return copy;
    }
}
