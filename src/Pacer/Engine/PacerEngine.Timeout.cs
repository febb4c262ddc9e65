namespace Pacer;

public sealed partial class PacerEngine
{
    private static readonly TimerCallback s_onAttemptTimeout = static state =>
    {
        var attempt = (AttemptToken)state!;
        attempt.Engine.OnAttemptTimeout(attempt);
    };

    /// <summary>Lifts the timeout of the attempt whose token is <paramref name="attemptToken"/> (see <see cref="JobContext.TryStopTimeout"/>).</summary>
    /// <returns>False when that attempt is no longer the job's running one: it timed out, or the job was cancelled.</returns>
    internal bool TryStopTimeout(Job job, CancellationToken attemptToken)
    {
        lock (_lock)
        {
            // A timed-out attempt's source is cancelled and never pooled again, so its token names it alone.
            if (job.Token is not { } attempt || job.State != JobState.Running || attempt.Source.Token != attemptToken)
            {
                return false;
            }

            if (attempt.TimeoutAt != long.MaxValue)
            {
                attempt.TimeoutAt = long.MaxValue;
                attempt.Timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            return true;
        }
    }

    /// <summary>
    /// An attempt ran out of time. The job goes on at once, to a retry or to failing, with a
    /// <see cref="TimeoutException"/>, whether or not the work heeds its cancelled token: a caller
    /// never waits on work that ignores it. The attempt keeps its slots until the work returns.
    /// </summary>
    private void OnAttemptTimeout(AttemptToken attempt)
    {
        Job? job;
        bool final = false;
        bool retrying = false;
        List<LaneEventArgs>? laneEvents = null;
        List<Job>? failedFast = null;
        lock (_lock)
        {
            long now = Now;
            job = attempt.Job;
            if (job is null || !ReferenceEquals(job.Token, attempt) || job.State != JobState.Running || attempt.TimeoutAt == long.MaxValue)
            {
                return; // the attempt ended, was cancelled, its timeout was lifted, or the timer belongs to an earlier use of the token
            }

            if (now < attempt.TimeoutAt)
            {
                // Early: a timeout cut to a timer's longest due time, or a timer that fired while the
                // clock still read a little short of its due time (System.Threading timers do, on Linux,
                // against the Stopwatch-based timestamp). Set again for the rest, or the attempt would
                // never time out. Under the lock, so a release or TryStopTimeout cannot slip in between.
                attempt.Timer!.Change(ToTimerDue(attempt.TimeoutAt - now), Timeout.InfiniteTimeSpan);
                return;
            }

            // Take the token from the job: from here the attempt is left behind, and OnAttemptEnded only releases its slots.
            job.Token = null;
            _running.Remove(attempt);
            attempt.Job = null;
            attempt.TimeoutAt = long.MaxValue;
            var error = new TimeoutException($"Attempt {job.Attempt} timed out after {job.Options.Timeout}.");
            if (job.Lane.HasResilience)
            {
                RecordOutcomeUnsynchronized(job, attempt, FailureKind.Retryable, now, ref laneEvents, ref failedFast);
            }

            job.Error = error;

            // A timed-out attempt is retryable, and no service named a wait: the same decision as any failure.
            retrying = RetryOrFailUnsynchronized(job, job.Options.Retry ?? _options.DefaultRetry, retryable: true, retryAfter: null, now);
            final = !retrying;
        }

        // Cancelled outside the lock: the work's token callbacks are user code. The source is not pooled again.
        attempt.Source.Cancel();
        if (final)
        {
            OnFinal(job);
        }
        else if (retrying)
        {
            _metrics.OnRetry(job);
            JobRetrying?.Invoke(this, new JobEventArgs(job, this));
        }

        failedFast?.ForEach(OnFinal);
        RaiseLaneEvents(laneEvents);
    }
}
