namespace Pacer;

/// <summary>A mode that failed as a whole, the mode that took over, and why.</summary>
/// <param name="From">The mode that failed.</param>
/// <param name="To">The mode that took over.</param>
/// <param name="Reason">The first error of the failed mode.</param>
public sealed record ModeFallback(ProcessingMode From, ProcessingMode To, string Reason);
