namespace Pacer.Bench.Targets;

/// <summary>
/// One library under test, set up with the limits of one workload. Jobs are handed over one by
/// one from a single synchronous loop; <see cref="WhenAllAsync"/> says the loop is done and
/// completes when every job has completed.
/// </summary>
internal interface IBenchTarget : IAsyncDisposable
{
    /// <summary>The name used on the command line and in the <c>lib</c> field.</summary>
    string Lib { get; }

    /// <summary>What the library is, for the <c>library</c> field.</summary>
    string Library { get; }

    /// <summary>The version of the assembly that ran, for the <c>version</c> field.</summary>
    string Version { get; }

    /// <summary>Hands one job to the library. The same delegate may be passed for every job.</summary>
    void Add(Func<ValueTask> work);

    /// <summary>Ends adding; completes when every job added has completed.</summary>
    Task WhenAllAsync();
}
