using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>
/// A job's life as events — queued, started, progressed — beside <see cref="JobFinished"/> and
/// <see cref="JobRetrying"/>; and the progress its work reports. An event nobody listens to costs one
/// field read; progress costs only the jobs that report it.
/// </summary>
public sealed partial class PacerEngine
{
    /// <summary>The progress reported by jobs' work, kept only for the jobs that report it (and only while they live).</summary>
    private readonly ConditionalWeakTable<Job, JobProgress> _progress = [];

    /// <summary>Raised when a submitted job enters its lane's queue, outside the engine lock (not again when a retry re-enters it).</summary>
    public event EventHandler<JobEventArgs>? JobQueued;

    /// <summary>Raised when an attempt of a job starts, on the thread that starts it, before its work runs.</summary>
    public event EventHandler<JobEventArgs>? JobStarted;

    /// <summary>Raised when a job's work reports its progress (<see cref="JobContext.ReportProgress"/>), on the work's thread.</summary>
    public event EventHandler<JobEventArgs>? JobProgressed;

    internal void OnQueued(Job job) => JobQueued?.Invoke(this, new JobEventArgs(job, this, JobState.Queued));

    internal void OnStarted(Job job) => JobStarted?.Invoke(this, new JobEventArgs(job, this, JobState.Running));

    /// <summary>What <paramref name="job"/>'s work last reported, or null.</summary>
    internal JobProgress? ProgressOf(Job job) => _progress.TryGetValue(job, out JobProgress? progress) ? progress : null;

    internal void ReportProgress(Job job, double fraction, string? note)
    {
        if (!double.IsFinite(fraction) || fraction < 0 || fraction > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Progress must be a fraction from 0 to 1.");
        }

        // The attempt's time so far (Timestamp is when it started), at this pace, gives the time left.
        TimeSpan elapsed = TimeProvider.GetElapsedTime(Volatile.Read(ref job.Timestamp));
        TimeSpan? eta = fraction > 0 ? elapsed * ((1 - fraction) / fraction) : null;
        var progress = new JobProgress(fraction, note, TimeProvider.GetUtcNow(), eta);
        _progress.AddOrUpdate(job, progress);
        JobProgressed?.Invoke(this, new JobEventArgs(job, this));
    }
}
