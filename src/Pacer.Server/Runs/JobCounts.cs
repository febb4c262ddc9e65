using Pacer.Sqlite;

namespace Pacer.Server.Runs;

/// <summary>How many of a run's jobs are in each state.</summary>
/// <remarks>From the store alone, every claimed job counts as <see cref="Running"/>; <see cref="Split"/> tells them apart.</remarks>
internal sealed record JobCounts(long Queued, long Running, long WaitingToRetry, long Succeeded, long Failed, long Cancelled)
{
    public long Remaining => Queued + Running + WaitingToRetry;

    /// <summary>
    /// Splits the claimed jobs by what they are doing: in an attempt (running), between attempts
    /// (waiting to retry), or still waiting for their lane (queued).
    /// </summary>
    public JobCounts Split(long inAttempt, long betweenAttempts)
    {
        long claimed = Running + WaitingToRetry;
        long running = Math.Clamp(inAttempt, 0, claimed);
        long waiting = Math.Clamp(betweenAttempts, 0, claimed - running);
        return this with { Queued = Queued + claimed - running - waiting, Running = running, WaitingToRetry = waiting };
    }

    public static JobCounts Of(IEnumerable<BatchCount> counts, Func<string, bool>? inLane = null)
    {
        long queued = 0, running = 0, succeeded = 0, failed = 0, cancelled = 0;
        foreach (BatchCount count in counts)
        {
            if (inLane is not null && !inLane(count.Lane))
            {
                continue;
            }

            switch (count.State)
            {
                case StoredJobState.Pending: queued += count.Count; break;
                case StoredJobState.Claimed: running += count.Count; break;
                case StoredJobState.Succeeded: succeeded += count.Count; break;
                case StoredJobState.Failed: failed += count.Count; break;
                case StoredJobState.Cancelled: cancelled += count.Count; break;
            }
        }

        return new JobCounts(queued, running, 0, succeeded, failed, cancelled);
    }
}
