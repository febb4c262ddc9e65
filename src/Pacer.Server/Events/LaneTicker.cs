using Microsoft.Extensions.Hosting;
using Pacer.Server.Api;
using Pacer.Server.Runs;

namespace Pacer.Server.Events;

/// <summary>
/// Publishes every lane's snapshot as a <c>lanes</c> event once a second while anything runs, and
/// at once when a subscriber joins, so that a new page has the lanes before the next second.
/// </summary>
internal sealed class LaneTicker(EventFeed feed, PacerEngine engine, IRequestFormat format, RunExecutor executor, TimeProvider time) : BackgroundService
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
                    feed.Publish("lanes", new { lanes = format.Lanes.Select(l => LaneView.Of(l, engine.GetLaneSnapshot(l.Name))) });
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
