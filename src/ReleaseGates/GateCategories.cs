namespace ReleaseGates;

/// <summary>
/// Well-known gate categories. A category is free text; these constants keep the common ones spelled alike
/// so that per-category scores line up across services.
/// </summary>
public static class GateCategories
{
    /// <summary>Test coverage, test results and other code-quality evidence.</summary>
    public const string Quality = "quality";

    /// <summary>Latency, throughput and error rate under load.</summary>
    public const string Performance = "performance";

    /// <summary>Security headers, TLS and other exposure checks.</summary>
    public const string Security = "security";

    /// <summary>Database migrations, schema and data invariants.</summary>
    public const string Data = "data";

    /// <summary>Health checks, smoke endpoints and host resources.</summary>
    public const string Operations = "operations";

    /// <summary>The category of a gate registered without one.</summary>
    public const string General = "general";
}
