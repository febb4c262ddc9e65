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

    /// <summary>What a child's failure (see <see cref="JobContext.AddChild{T}"/>) does to its parent's result.</summary>
    /// <value>Default <see cref="ChildFailureMode.Partial"/>: the parent keeps its result; the child's error is listed.</value>
    public ChildFailureMode ChildFailure { get; init; }
}
