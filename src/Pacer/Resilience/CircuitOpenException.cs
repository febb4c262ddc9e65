namespace Pacer;

/// <summary>A job failed at once because its lane's circuit is open and the lane fails fast.</summary>
public sealed class CircuitOpenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CircuitOpenException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CircuitOpenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure it wraps.</summary>
    public CircuitOpenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
