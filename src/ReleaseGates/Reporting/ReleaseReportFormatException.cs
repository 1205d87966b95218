namespace ReleaseGates;

/// <summary>A JSON text is not a release report this library can read (malformed, or an unknown schema version).</summary>
public sealed class ReleaseReportFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ReleaseReportFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
