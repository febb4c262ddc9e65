using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>
/// Every change of a job's state, in one place: the job's <see cref="Job.State"/>, its lanes'
/// counters up the tree and its batch's counters move together, under the engine lock. The moves:
/// queued (new), started, waiting to retry, requeued, and final (succeeded, failed or cancelled,
/// from any state). Adding a state or a counter means changing this file.
/// </summary>
/// <remarks>
/// A lane's <see cref="Lane.Running"/> is no state count: it is the slots attempts hold, and an
/// attempt left behind by a cancel or a timeout keeps its slot until its work returns. The engine
/// keeps it where slots are taken and given back.
/// </remarks>
internal static class JobLifecycle
{
    /// <summary>
    /// Whether every change is checked against <see cref="Holds"/> in a release build too (a debug
    /// build always checks). The engine's tests set it, so that every test checks the counts.
    /// </summary>
#pragma warning disable CA2211 // Set once, by the test assembly's start; a field, so that the hot path reads it for nothing.
    internal static bool AlwaysCheck;
#pragma warning restore CA2211

    /// <summary>A new job enters its lane's queue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void QueuedUnsynchronized(Job job)
    {
        job.State = JobState.Queued;
        for (Lane? l = job.Lane; l is not null; l = l.Parent)
        {
            l.Stats.Queued++;
        }

        job.Group?.OnSubmittedUnsynchronized(job);
        Check(job);
    }

    /// <summary>An attempt starts: the job leaves its lane's queue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StartedUnsynchronized(Job job)
    {
        Debug.Assert(job.State == JobState.Queued, "Only a queued job starts.");
        for (Lane? l = job.Lane; l is not null; l = l.Parent)
        {
            l.Stats.Queued--;
        }

        Move(job, JobState.Running, 0);
    }

    /// <summary>Its attempt failed, or ran out of time, and the job waits for its retry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WaitingToRetryUnsynchronized(Job job)
    {
        Debug.Assert(job.State == JobState.Running, "Only a running job waits to retry.");
        for (Lane? l = job.Lane; l is not null; l = l.Parent)
        {
            l.Stats.WaitingToRetry++;
            l.Stats.Retries++;
        }

        Move(job, JobState.WaitingToRetry, 0);
    }

    /// <summary>Its retry time came: the job is back in its lane's queue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequeuedUnsynchronized(Job job)
    {
        Debug.Assert(job.State == JobState.WaitingToRetry, "Only a job waiting to retry is requeued.");
        for (Lane? l = job.Lane; l is not null; l = l.Parent)
        {
            l.Stats.WaitingToRetry--;
            l.Stats.Queued++;
        }

        Move(job, JobState.Queued, 0);
    }

    /// <summary>
    /// The job ends in <paramref name="final"/>, from whatever state it was in. Its lanes count it
    /// and, unless it was cancelled before it ever started, their throughput records it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as the engine's own hot path: optimized from the first job
    public static void FinalUnsynchronized(Job job, JobState final, long now)
    {
        Debug.Assert(final is JobState.Succeeded or JobState.Failed or JobState.Cancelled, "A job ends succeeded, failed or cancelled.");
        Debug.Assert(job.State is JobState.Queued or JobState.Running or JobState.WaitingToRetry, "A job ends once.");
        JobState from = job.State;

        // Throughput is work done: a job cancelled before it started is none.
        bool worked = final != JobState.Cancelled || job.Attempt > 0;
        for (Lane? l = job.Lane; l is not null; l = l.Parent)
        {
            if (from == JobState.Queued)
            {
                l.Stats.Queued--;
            }
            else if (from == JobState.WaitingToRetry)
            {
                l.Stats.WaitingToRetry--;
            }

            switch (final)
            {
                case JobState.Succeeded:
                    l.Stats.Succeeded++;
                    break;
                case JobState.Failed:
                    l.Stats.Failed++;
                    break;
                default:
                    l.Stats.Cancelled++;
                    break;
            }

            if (worked)
            {
                l.Stats.Throughput.Record(now);
            }
        }

        Move(job, final, now);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Move(Job job, JobState to, long now)
    {
        JobState from = job.State;
        job.State = to;
        job.Group?.OnMovedUnsynchronized(job, from, now);
        Check(job);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Check(Job job)
    {
#if DEBUG
        Verify(job);
#else
        if (AlwaysCheck)
        {
            Verify(job);
        }
#endif
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Verify(Job job)
    {
        if (!Holds(job, out string? broken))
        {
            throw new InvalidOperationException($"Job {job.Id} ({job.State}, lane '{job.Lane.Name}'): {broken}");
        }
    }

    /// <summary>
    /// What every change must leave true for the job's lanes and batch: no count below zero, a lane
    /// counting at least what any child counts (a lane counts its subtree), and a batch whose jobs
    /// are each in exactly one state.
    /// </summary>
    /// <param name="job">The job that just moved.</param>
    /// <param name="broken">What does not hold, when something does not.</param>
    public static bool Holds(Job job, out string? broken)
    {
        for (Lane? l = job.Lane; l is not null; l = l.Parent)
        {
            LaneStats s = l.Stats;
            if (s.Queued < 0 || s.WaitingToRetry < 0 || l.Running < 0 || s.Succeeded < 0 || s.Failed < 0 || s.Cancelled < 0)
            {
                broken = $"lane '{l.Name}' counts below zero: queued {s.Queued}, waiting {s.WaitingToRetry}, running {l.Running}, succeeded {s.Succeeded}, failed {s.Failed}, cancelled {s.Cancelled}.";
                return false;
            }

            if (l.Parent is { } parent
                && (parent.Stats.Queued < s.Queued || parent.Stats.WaitingToRetry < s.WaitingToRetry || parent.Stats.Succeeded < s.Succeeded
                    || parent.Stats.Failed < s.Failed || parent.Stats.Cancelled < s.Cancelled || parent.Running < l.Running))
            {
                broken = $"lane '{parent.Name}' counts less than its child '{l.Name}'.";
                return false;
            }
        }

        if (job.Group is { } batch && !batch.Holds(out broken))
        {
            return false;
        }

        broken = null;
        return true;
    }
}
