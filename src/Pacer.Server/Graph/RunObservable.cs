using GraphQL;
using Pacer.Server.Api;
using Pacer.Server.Runs;

namespace Pacer.Server.Graph;

/// <summary>
/// A run's view as a stream, for a subscription: each subscriber gets the run at once, then again
/// after each change (no more than four times a second) or each second, and the last view when
/// the run has ended, then completion.
/// </summary>
internal sealed class RunObservable(RunTracker tracker, RunView view, TimeProvider time, string id) : IObservable<RunDetails>
{
    private static readonly TimeSpan s_least = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_most = TimeSpan.FromSeconds(1);

    public IDisposable Subscribe(IObserver<RunDetails> observer)
    {
        var stop = new CancellationTokenSource();
        _ = PushAsync(observer, stop.Token);
        return new Unsubscriber(stop);
    }

    private async Task PushAsync(IObserver<RunDetails> observer, CancellationToken cancellationToken)
    {
        try
        {
            if (await tracker.FindAsync(id).ConfigureAwait(false) is not { } run)
            {
                observer.OnError(new ExecutionError($"There is no run '{QueryValue.Shorten(id)}'."));
                return;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                Task changed = run.Changed.Next;
                RunDetails details = await view.OfAsync(run, cancellationToken).ConfigureAwait(false);
                observer.OnNext(details);
                if (details.Status is not (RunStatus.Queued or RunStatus.Running))
                {
                    observer.OnCompleted();
                    return;
                }

                await Task.Delay(s_least, time, cancellationToken).ConfigureAwait(false);
                try
                {
                    await changed.WaitAsync(s_most - s_least, time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // A second has passed: the metrics move even when no job has ended.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unsubscribed.
        }
#pragma warning disable CA1031 // Any failure ends the stream with it, as an error to the subscriber.
        catch (Exception e)
#pragma warning restore CA1031
        {
            observer.OnError(e);
        }
    }

    private sealed class Unsubscriber(CancellationTokenSource stop) : IDisposable
    {
        // Cancelled, not disposed: the pushing loop may still be registering on its token.
        public void Dispose() => stop.Cancel();
    }
}
