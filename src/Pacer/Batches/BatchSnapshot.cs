namespace Pacer;

/// <summary>Where one batch stands.</summary>
/// <param name="Total">Jobs added so far.</param>
/// <param name="Queued">Waiting for room.</param>
/// <param name="Running">Attempts running.</param>
/// <param name="WaitingToRetry">Waiting for a retry.</param>
/// <param name="Succeeded">Succeeded.</param>
/// <param name="Failed">Failed.</param>
/// <param name="Cancelled">Cancelled.</param>
/// <param name="Throughput">Completions per second, a moving average over the last 10 seconds.</param>
/// <param name="Eta">
/// Time until the batch is done: for each lane it uses, its jobs left there over the lane's
/// capacity, and the longest of those; null while a lane's capacity is unknown.
/// </param>
/// <param name="IsComplete">No more jobs will be added and every job is final.</param>
public sealed record BatchSnapshot(
    int Total, int Queued, int Running, int WaitingToRetry, int Succeeded, int Failed, int Cancelled,
    double Throughput, TimeSpan? Eta, bool IsComplete)
{
    /// <summary>Jobs final, as a fraction of all added (0 to 1).</summary>
    public double Fraction => Total == 0 ? 0 : (double)(Succeeded + Failed + Cancelled) / Total;
}
