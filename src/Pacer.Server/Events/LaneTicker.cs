using Microsoft.Extensions.Hosting;
using Pacer.Server.Api;
using Pacer.Server.Runs;

namespace Pacer.Server.Events;

/// <summary>
/// Publishes every lane's snapshot as a <c>lanes</c> event once a second while anything runs, and
/// at once when a subscriber joins, so that a new page has the lanes before the next second; with
/// it, a <c>progress</c> event per run that has not ended (the run as <c>GET /api/runs/{id}</c> shows it).
/// </summary>
internal sealed class LaneTicker(EventFeed feed, PacerEngine engine, IRequestFormat format, RunExecutor executor, RunTracker tracker, RunView view, TimeProvider time) : BackgroundService
{
    private readonly SemaphoreSlim _joined = new(0, 1);

    public override void Dispose()
    {
        _joined.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        feed.Joined += OnJoined;
        try
        {
            using var second = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            Task<bool> tick = second.WaitForNextTickAsync(stoppingToken).AsTask();
            Task joined = _joined.WaitAsync(stoppingToken);
            bool wasBusy = false;
            while (!stoppingToken.IsCancellationRequested)
            {
                Task first = await Task.WhenAny(tick, joined).ConfigureAwait(false);
                bool busy = executor.InFlight > 0 || engine.GetSnapshot().Lanes.Any(l => l.Running + l.Queued + l.WaitingToRetry > 0);
                if (first == joined || busy || wasBusy)
                {
                    // One more after the work ends, so that the last snapshot shows the lanes idle.
                    feed.Publish("lanes", LaneView.All(format, engine));
                    foreach (LiveRun run in tracker.Active())
                    {
                        feed.Publish("progress", await view.OfAsync(run, stoppingToken).ConfigureAwait(false));
                    }
                }

                wasBusy = busy;
                if (first == joined)
                {
                    joined = _joined.WaitAsync(stoppingToken);
                }
                else
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        return;
                    }

                    tick = second.WaitForNextTickAsync(stoppingToken).AsTask();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            feed.Joined -= OnJoined;
        }
    }

    private void OnJoined()
    {
        try
        {
            _joined.Release();
        }
        catch (SemaphoreFullException)
        {
            // A snapshot is already due.
        }
    }
}
