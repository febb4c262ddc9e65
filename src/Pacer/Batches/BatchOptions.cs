namespace Pacer;

/// <summary>How a batch runs.</summary>
public sealed class BatchOptions
{
    /// <summary>Options of every job added without its own.</summary>
    /// <value>Default <see langword="null"/>: the default lane and retry policy.</value>
    public JobOptions? JobOptions { get; init; }

    /// <summary>On the first job that fails for good, cancel every job of the batch not yet final.</summary>
    /// <value>Default <see langword="false"/>: the batch runs to the end and lists every error with its item.</value>
    public bool FailFast { get; init; }
}
