namespace Pacer;

/// <summary>What <see cref="PacerEngine.RunModesAsync{TItem, TResult}"/> runs, and how.</summary>
/// <typeparam name="TItem">The items' type.</typeparam>
/// <typeparam name="TResult">One item's result.</typeparam>
public sealed class ModeOptions<TItem, TResult>
{
    /// <summary>The mode to start with.</summary>
    /// <value>Default <see cref="ProcessingMode.Auto"/>.</value>
    public ProcessingMode Mode { get; init; }

    /// <summary>Runs one item: the work of sequential and parallel modes, and of combined groups of one.</summary>
    public required Func<TItem, JobContext, ValueTask<TResult>> RunOne { get; init; }

    /// <summary>Runs several items in one call and returns one result per item, in order.</summary>
    /// <value>Default <see langword="null"/>: no combined mode.</value>
    public Func<IReadOnlyList<TItem>, JobContext, ValueTask<IReadOnlyList<TResult>>>? Combine { get; init; }

    /// <summary>Items per combined call.</summary>
    /// <value>Default 10; at least 1.</value>
    public int GroupSize { get; init; } = 10;

    /// <summary>Whether a mode that fails as a whole (no item succeeded) hands over to the next: parallel, then combined, then sequential.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Fallback { get; init; } = true;

    /// <summary>Lane, priority and retry policy of every job.</summary>
    /// <value>Default <see langword="null"/>: the default lane.</value>
    public JobOptions? JobOptions { get; init; }

    internal void Validate()
    {
        var errors = new OptionsErrors("ModeOptions: ");
        if (RunOne is null)
        {
            errors.Add("RunOne must not be null.");
        }

        if (GroupSize < 1)
        {
            errors.Add($"GroupSize must be at least 1, got {GroupSize}.");
        }

        if (Mode == ProcessingMode.Combined && Combine is null)
        {
            errors.Add("Mode Combined needs a Combine function.");
        }

        errors.ThrowIfAny();
        JobOptions?.EnsureValid();
    }
}
