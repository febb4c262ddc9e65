namespace Pacer;

internal sealed class Job<T> : Job
{
    public required Func<JobContext, ValueTask<T>> Work;

    public required IJobOwner<T> Owner;

    public T? Result;

    public override void RunAttempt(PacerEngine engine, CancellationToken cancellationToken)
    {
        ValueTask<T> pending;
        try
        {
            pending = Work(new JobContext(this, cancellationToken));
        }
        catch (Exception ex)
        {
            engine.OnAttemptEnded(this, ex);
            return;
        }

        if (pending.IsCompletedSuccessfully)
        {
            Result = pending.Result;
            engine.OnAttemptEnded(this, null);
            return;
        }

        _ = AwaitAttemptAsync(engine, pending);
    }

    public override void NotifyFinal() => Owner.OnJobFinal(this);

    private async Task AwaitAttemptAsync(PacerEngine engine, ValueTask<T> pending)
    {
        Exception? error = null;
        try
        {
            Result = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        engine.OnAttemptEnded(this, error);
    }
}
