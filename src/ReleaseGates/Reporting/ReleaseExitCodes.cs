namespace ReleaseGates;

/// <summary>Process exit codes for hosts and command-line tools that gate a deploy.</summary>
public static class ReleaseExitCodes
{
    /// <summary>GO (and GO WITH WARNINGS unless told to fail on warnings).</summary>
    public const int Go = 0;

    /// <summary>NO-GO.</summary>
    public const int NoGo = 1;

    /// <summary>GO WITH WARNINGS, when the host was told to fail on warnings.</summary>
    public const int GoWithWarnings = 2;

    /// <summary>The gates or options are invalid (<see cref="ReleaseGatesConfigurationException"/>, an unparsable condition).</summary>
    public const int InvalidConfiguration = 3;

    /// <summary>The evaluation itself could not run (an unexpected exception outside the gates, a cancelled run).</summary>
    public const int EvaluationError = 4;
}
