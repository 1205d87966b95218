namespace ReleaseGates;

/// <summary>Which change of a canary metric is a regression, as Kayenta's per-metric <c>direction</c> says.</summary>
public enum CanaryDirection
{
    /// <summary>Either way: a rise or a fall beyond its allowance fails (a request rate, a cache hit count).</summary>
    Either,

    /// <summary>Only a rise fails (CPU, memory, latency, errors); a fall is welcome.</summary>
    Increase,

    /// <summary>Only a fall fails (throughput, a success count); a rise is welcome.</summary>
    Decrease,
}
