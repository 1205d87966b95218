namespace ReleaseGates;

/// <summary>
/// A report history could not be read or written: the store does not answer, refuses the credentials, is locked, is not a
/// history (another application's database, a corrupted file), or was written by a newer version. The message names the
/// store without credentials and says what to do.
/// </summary>
public sealed class ReleaseHistoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReleaseHistoryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ReleaseHistoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ReleaseHistoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
