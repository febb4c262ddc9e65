namespace Pacer;

/// <summary>A parent's result failed because some of its children (or their children) failed.</summary>
public sealed class ChildJobsFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChildJobsFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ChildJobsFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure it wraps.</summary>
    public ChildJobsFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ChildJobsFailedException(IReadOnlyList<int> failed)
        : base($"{failed.Count} child job(s) failed: {string.Join(", ", failed.Take(10))}{(failed.Count > 10 ? ", …" : "")}.")
    {
        FailedIndexes = failed;
    }

    /// <summary>Batch indexes of the descendants that failed.</summary>
    public IReadOnlyList<int> FailedIndexes { get; } = [];
}
