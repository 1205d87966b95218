namespace ReleaseGates;

/// <summary>The gates or their options are misconfigured. Lists every problem at once.</summary>
public sealed class ReleaseGatesConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="context">What was being configured.</param>
    /// <param name="problems">Every problem found.</param>
    public ReleaseGatesConfigurationException(string context, IReadOnlyList<string> problems)
        : base(context + ":" + string.Concat((problems ?? []).Select(p => Environment.NewLine + "  - " + p)))
    {
        Problems = problems ?? [];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}
