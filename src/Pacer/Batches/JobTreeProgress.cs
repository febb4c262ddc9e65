namespace Pacer;

/// <summary>Progress of one job and everything it fanned out to.</summary>
/// <param name="Index">The job's index in its batch.</param>
/// <param name="Total">The job and its descendants.</param>
/// <param name="Succeeded">Of those, succeeded.</param>
/// <param name="Failed">Of those, failed.</param>
/// <param name="Cancelled">Of those, cancelled.</param>
public sealed record JobTreeProgress(int Index, int Total, int Succeeded, int Failed, int Cancelled)
{
    /// <summary>Jobs of the tree not yet final.</summary>
    public int Pending => Total - Succeeded - Failed - Cancelled;
}
