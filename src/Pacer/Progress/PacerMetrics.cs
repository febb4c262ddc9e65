using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>
/// The engine's figures as <see cref="System.Diagnostics.Metrics"/> instruments on the meter
/// <c>Pacer</c>, so that OpenTelemetry (or <c>dotnet-counters</c>) collects them. Counters carry
/// the tag <c>pacer.lane</c>; finished jobs also <c>pacer.result</c> (succeeded, failed, cancelled).
/// </summary>
internal sealed class PacerMetrics : IDisposable
{
    public const string MeterName = "Pacer";

    private readonly Meter _meter;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _duration;
    private readonly PacerEngine _engine;

    /// <summary>A factory's meters belong to the factory (it may hand the same one to another engine).</summary>
    private readonly bool _ownsMeter;

    public PacerMetrics(PacerEngine engine, IMeterFactory? factory)
    {
        _engine = engine;
        var options = new MeterOptions(MeterName) { Version = typeof(PacerMetrics).Assembly.GetName().Version?.ToString() };
        _ownsMeter = factory is null;
        _meter = factory?.Create(options) ?? new Meter(options);
        _finished = _meter.CreateCounter<long>("pacer.job.finished", "{job}", "Jobs that reached a final state.");
        _retries = _meter.CreateCounter<long>("pacer.job.retries", "{retry}", "Failed attempts parked for a retry.");
        _duration = _meter.CreateHistogram<double>("pacer.job.duration", "s", "Time from submission to the final state.");
        _meter.CreateObservableGauge("pacer.lane.queued_jobs", () => Observe(s => s.Queued), "{job}", "Jobs waiting for room in the lane.");
        _meter.CreateObservableGauge("pacer.lane.running_jobs", () => Observe(s => s.Running), "{job}", "Attempts running in the lane.");
        _meter.CreateObservableGauge("pacer.lane.retry_waiting_jobs", () => Observe(s => s.WaitingToRetry), "{job}", "Jobs waiting for a retry.");
        _meter.CreateObservableGauge("pacer.lane.throughput", () => Observe(s => s.Throughput), "{job}/s", "Completions per second, 10 s moving average.");
        _meter.CreateObservableGauge("pacer.lane.eta", () => Observe(s => s.Eta?.TotalSeconds ?? double.NaN), "s", "Estimated time until the lane's jobs are done.");
        _meter.CreateObservableGauge("pacer.lane.circuit_state", () => Observe(s => (int)s.Circuit), "{state}", "Circuit state: 0 closed, 1 open, 2 half-open.");
        _meter.CreateObservableGauge("pacer.lane.adaptive_rate", () => Observe(s => s.AdaptiveRate ?? double.NaN), "{request}/s", "An adaptive lane's effective rate.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnFinal(Job job)
    {
        if (_finished.Enabled)
        {
            _finished.Add(1, new("pacer.lane", job.Lane.Name), new("pacer.result", Result(job.State)));
        }

        if (_duration.Enabled)
        {
            double seconds = _engine.TimeProvider.GetElapsedTime(job.SubmittedAt).TotalSeconds;
            _duration.Record(seconds, new("pacer.lane", job.Lane.Name), new("pacer.result", Result(job.State)));
        }
    }

    public void OnRetry(Job job)
    {
        if (_retries.Enabled)
        {
            _retries.Add(1, new KeyValuePair<string, object?>("pacer.lane", job.Lane.Name));
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static string Result(JobState state) => state switch
    {
        JobState.Succeeded => "succeeded",
        JobState.Failed => "failed",
        _ => "cancelled",
    };

    private IEnumerable<Measurement<T>> Observe<T>(Func<LaneSnapshot, T> pick)
        where T : struct
    {
        foreach (LaneSnapshot lane in _engine.GetSnapshot().Lanes)
        {
            yield return new Measurement<T>(pick(lane), new KeyValuePair<string, object?>("pacer.lane", lane.Name));
        }
    }
}
