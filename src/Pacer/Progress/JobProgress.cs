namespace Pacer;

/// <summary>
/// What a job's work last said of its own progress (<see cref="JobContext.ReportProgress"/>): how far
/// it is, in its words, when it said so, and the time left that this implies.
/// </summary>
/// <param name="Fraction">How far the work is, from 0 to 1.</param>
/// <param name="Note">What the work said with it, such as "page 3 of 10"; may be null.</param>
/// <param name="ReportedAt">When it was reported.</param>
/// <param name="Eta">
/// The time left at that pace: the attempt's time so far × (1 − fraction) ÷ fraction; null at 0.
/// </param>
public sealed record JobProgress(double Fraction, string? Note, DateTimeOffset ReportedAt, TimeSpan? Eta);
