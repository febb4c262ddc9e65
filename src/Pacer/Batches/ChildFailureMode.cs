namespace Pacer;

/// <summary>What a child job's failure does to its parent's result.</summary>
public enum ChildFailureMode
{
    /// <summary>The parent keeps its own result; the failed child is listed among the batch's errors (partial results).</summary>
    Partial,

    /// <summary>The parent's result is failed too, with a <see cref="ChildJobsFailedException"/> naming the failed children.</summary>
    FailParent,
}
