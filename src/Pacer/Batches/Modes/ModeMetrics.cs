namespace Pacer;

/// <summary>How a run of <see cref="PacerEngine.RunModesAsync{TItem, TResult}"/> went.</summary>
/// <param name="Mode">The mode that produced the results.</param>
/// <param name="TotalTime">From the call to the last result, fallbacks included.</param>
/// <param name="JobsRun">Jobs run in all modes tried.</param>
/// <param name="AverageJobTime">The average job's time from submission to its end.</param>
public sealed record ModeMetrics(ProcessingMode Mode, TimeSpan TotalTime, int JobsRun, TimeSpan AverageJobTime);
