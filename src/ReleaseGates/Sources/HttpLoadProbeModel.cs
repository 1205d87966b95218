namespace ReleaseGates;

/// <summary>How an <see cref="HttpLoadProbe"/> run sends its requests.</summary>
public enum HttpLoadProbeModel
{
    /// <summary>
    /// A fixed number of workers, each sending its next request when the last one answered. A stalled server stalls the
    /// sending too, so a stall shows as a few slow requests instead of the many that would have waited (coordinated omission).
    /// </summary>
    ClosedLoop = 0,

    /// <summary>
    /// Requests come due at a fixed arrival rate whatever the responses do, and each one's latency counts from when it came
    /// due, so a stall is charged to every request it delayed.
    /// </summary>
    OpenModel = 1,
}
