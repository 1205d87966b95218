namespace ReleaseGates;

/// <summary>
/// What a prune keeps: the newest evaluations of each service, environment and branch, and those younger than an age.
/// An evaluation either rule keeps is kept; pinned and blessed evaluations are always kept.
/// </summary>
public sealed class HistoryRetention
{
    /// <summary>Keep at least the newest this many evaluations of each service, environment and branch. Default 100.</summary>
    public int KeepLast { get; set; } = 100;

    /// <summary>Keep every evaluation that started within this age. Default: <see langword="null"/>, no age rule.</summary>
    public TimeSpan? KeepNewerThan { get; set; }

    /// <summary>Throws when a rule is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="KeepLast"/> is negative, or <see cref="KeepNewerThan"/> is negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(KeepLast);
        if (KeepNewerThan is { } age && age < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepNewerThan), age, "The age must not be negative.");
        }
    }
}
