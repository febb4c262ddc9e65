using System.Runtime.CompilerServices;

namespace Pacer;

internal sealed class Job<T> : Job
{
    public required Func<JobContext, ValueTask<T>> Work;

    /// <summary>The batch, or for a lone job its task source, made only when someone asks for the task.</summary>
    public IJobOwner<T>? Owner;

    public T? Result;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void RunAttempt(PacerEngine engine, AttemptToken attempt)
    {
        ValueTask<T> pending;
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
            SetResult(attempt, pending.Result);
            engine.OnAttemptEnded(this, attempt, null, completedSynchronously: true);
            return;
        }

        _ = AwaitAttemptAsync(engine, attempt, pending);
    }

    /// <summary>An attempt that timed out and was left behind must not overwrite a later attempt's result.</summary>
    private void SetResult(AttemptToken attempt, T result)
    {
        if (ReferenceEquals(ReadToken(), attempt))
        {
            Result = result;
        }
    }

    public override BatchCounters? Group => (Owner as Batch<T>)?.Counters;

    public override void NotifyFinal() => Volatile.Read(ref Owner)?.OnJobFinal(this);

    /// <summary>The task of a lone job, made on first use so that jobs nobody awaits allocate nothing more.</summary>
    public JobCompletion<T> GetCompletion()
    {
        if (Volatile.Read(ref Owner) is JobCompletion<T> existing)
        {
            return existing;
        }

        var created = new JobCompletion<T>();
        if (Interlocked.CompareExchange(ref Owner, created, null) is JobCompletion<T> raced)
        {
            return raced;
        }

        // The job may have become final before the task existed: NotifyFinal then found no owner.
        if (IsFinal)
        {
            created.OnJobFinal(this);
        }

        return created;
    }

    private async Task AwaitAttemptAsync(PacerEngine engine, AttemptToken attempt, ValueTask<T> pending)
    {
        Exception? error = null;
        try
        {
            SetResult(attempt, await pending.ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            error = ex;
        }

        engine.OnAttemptEnded(this, attempt, error);
    }
}
