namespace Pacer;

/// <summary>How <see cref="PacerEngine.RunModesAsync{TItem, TResult}"/> runs a set of items.</summary>
public enum ProcessingMode
{
    /// <summary>
    /// Chosen from the items and the lane: one item runs sequential; on a lane that runs one job at
    /// a time, items run combined when there is a combine function and sequential otherwise; up to
    /// <see cref="ModeOptions{TItem, TResult}.GroupSize"/> items with a combine function run combined
    /// (one call); anything else runs parallel.
    /// </summary>
    Auto,

    /// <summary>One item at a time, each as its own job.</summary>
    Sequential,

    /// <summary>Every item as its own job, all at once within the lane's limits.</summary>
    Parallel,

    /// <summary>
    /// Several items per call through the combine function; a group that fails is split in halves
    /// and run again, down to single items.
    /// </summary>
    Combined,
}
