namespace Pacer;

/// <summary>How many jobs of a batch are in one lane and one state.</summary>
/// <param name="Lane">The jobs' lane.</param>
/// <param name="State">Their state.</param>
/// <param name="Count">How many there are.</param>
public readonly record struct BatchCount(string Lane, StoredJobState State, long Count);
