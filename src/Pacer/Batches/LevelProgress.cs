namespace Pacer;

/// <summary>Progress of one level of a batch's tree: the jobs added directly (depth 0), their children (1), and so on.</summary>
/// <param name="Depth">The level: 0 for jobs added directly, 1 for their children, and so on.</param>
/// <param name="Total">Jobs at this depth so far; it grows while jobs above fan out.</param>
/// <param name="Succeeded">Of those, succeeded.</param>
/// <param name="Failed">Of those, failed.</param>
/// <param name="Cancelled">Of those, cancelled.</param>
public sealed record LevelProgress(int Depth, int Total, int Succeeded, int Failed, int Cancelled)
{
    /// <summary>Jobs of the level not yet final.</summary>
    public int Pending => Total - Succeeded - Failed - Cancelled;
}
