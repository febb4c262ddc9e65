namespace Pacer;

/// <summary>Some jobs of a batch did not succeed; each error is listed with its item's index.</summary>
public sealed class BatchFailedException : AggregateException
{
    /// <summary>Creates the exception.</summary>
    public BatchFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BatchFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure it wraps.</summary>
    public BatchFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal BatchFailedException(string message, IReadOnlyList<(int Index, Exception Error)> errors)
        : base(message, errors.Select(e => e.Error))
    {
        Indexes = [.. errors.Select(e => e.Index)];
    }

    /// <summary>Indexes of the items that did not succeed, in order, matching <see cref="AggregateException.InnerExceptions"/>.</summary>
    public IReadOnlyList<int> Indexes { get; } = [];
}
