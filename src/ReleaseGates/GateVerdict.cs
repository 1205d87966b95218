namespace ReleaseGates;

/// <summary>
/// The one rule for a gate's status, used live (the evaluator), on replay, on reading a report and by waivers: a gate's
/// status is the worst of what it claims and what its evidence shows. Every measurement's condition is held to its
/// value again (a claimed status is never trusted); a finding's severity implies Failed or Warning. A gate may be
/// stricter than its evidence (a claimed Failed, Error or Skipped stays), never more lenient. See <c>docs/scoring.md</c>.
/// </summary>
internal static class GateVerdict
{
    /// <summary>The worse of two statuses (statuses are ordered worst to best).</summary>
    public static GateStatus Worst(GateStatus a, GateStatus b) => a < b ? a : b;

    /// <summary>The worst status the measurements and findings imply; <see cref="GateStatus.Passed"/> when there are none.</summary>
    public static GateStatus FromEvidence(IEnumerable<Measurement> measurements, IEnumerable<Finding> findings)
    {
        var status = GateStatus.Passed;
        foreach (var m in measurements)
        {
            status = Worst(status, m.ImpliedStatus);
        }

        foreach (var f in findings)
        {
            status = Worst(status, f.ImpliedStatus);
        }

        return status;
    }

    /// <summary>
    /// The part of <paramref name="status"/> a gate claimed beyond its evidence (a custom reason to fail, Skipped);
    /// <see cref="GateStatus.Passed"/> when the status is what the measurements and findings show. Replay and waivers keep
    /// it and derive the rest again.
    /// </summary>
    public static GateStatus Intrinsic(GateStatus status, IEnumerable<Measurement> measurements, IEnumerable<Finding> findings)
        => status < FromEvidence(measurements, findings) ? status : GateStatus.Passed;

    /// <summary>
    /// The status a result earns and its measurements with their conditions held to their values again: the worst of
    /// <paramref name="claimed"/> and that evidence. A Skipped result with a failed measurement fails.
    /// </summary>
    public static (GateStatus Status, IReadOnlyList<Measurement> Measurements) Settle(GateStatus claimed,
        IReadOnlyList<Measurement> measurements, IReadOnlyList<Finding> findings)
    {
        var settled = Reevaluate(measurements);
        return (Worst(claimed, FromEvidence(settled, findings)), settled);
    }

    private static IReadOnlyList<Measurement> Reevaluate(IReadOnlyList<Measurement> measurements)
    {
        Measurement[]? copy = null;
        for (var i = 0; i < measurements.Count; i++)
        {
            var m = measurements[i];
            GateStatus status;
            try
            {
                status = m.Reevaluate();
            }
            catch (InvalidOperationException)
            {
                // A condition in units the value cannot be converted to judges nothing.
                status = GateStatus.Error;
            }

            if (status != m.Status)
            {
                copy ??= [.. measurements];
                copy[i] = m with { Status = status };
            }
        }

        return copy ?? measurements;
    }
}
