namespace Pacer;

/// <summary>Thrown by a job's work to say "do not try again": the job fails at once.</summary>
public sealed class PermanentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PermanentException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PermanentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure it wraps.</summary>
    public PermanentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
