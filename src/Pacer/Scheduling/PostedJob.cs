using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>
/// A fire-and-forget job (<see cref="PacerEngine.Post"/>): nobody holds it, so once it has ended
/// the engine resets it and hands it to the next post on the same thread. Bulk posting then
/// allocates nothing per job once warm.
/// </summary>
internal sealed class PostedJob : Job
{
    public required Func<JobContext, ValueTask> Work;

    public override BatchCounters? Group => null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void RunAttempt(PacerEngine engine, AttemptToken attempt)
    {
        ValueTask pending;
        try
        {
            pending = Work(new JobContext(this, attempt.Source.Token));
        }
        catch (Exception ex)
        {
            engine.OnAttemptEnded(this, attempt, ex);
            return;
        }

        if (pending.IsCompletedSuccessfully)
        {
            engine.OnAttemptEnded(this, attempt, null, completedSynchronously: true);
            return;
        }

        _ = AwaitAttemptAsync(engine, attempt, pending);
    }

    public override void NotifyFinal()
    {
    }

    /// <summary>Clears the job for its next use. Only for a job that is final and in no queue, whose attempt has returned.</summary>
    public void Reset()
    {
        Next = null;
        Item = null;
        Error = null;
        Id = 0;
        Attempt = 0;
        State = JobState.Queued;
    }

    private async Task AwaitAttemptAsync(PacerEngine engine, AttemptToken attempt, ValueTask pending)
    {
        Exception? error = null;
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        engine.OnAttemptEnded(this, attempt, error);
    }
}
