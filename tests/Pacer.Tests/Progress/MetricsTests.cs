using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Pacer.Tests.Progress;

/// <summary>
/// Every engine publishes on its own meter named "Pacer". Each test collects from the instruments
/// of the engine it makes, and the tests run alone, so that no other engine is made meanwhile.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
[Collection(nameof(MetricsTests))]
public class MetricsTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine(out NewInstruments instruments)
    {
        InlineContinuations.Enable();
        instruments = new NewInstruments("Pacer");
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    private static string? Tag<T>(CollectedMeasurement<T> measurement, string name)
        where T : struct => measurement.Tags.TryGetValue(name, out object? value) ? value as string : null;

    [Fact]
    public async Task FinishedCounter_CountsEachFinalJob_TaggedWithLaneAndResult()
    {
        await using PacerEngine engine = CreateEngine(out NewInstruments instruments);
        using NewInstruments _ = instruments;
        using var finished = new MetricCollector<long>(instruments.Get<long>("pacer.job.finished"));
        engine.AddLane("m", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var options = new JobOptions { Lane = "m" };

        engine.Submit(Jobs.Instant, options);
        engine.Submit(Jobs.Instant, options);
        engine.Submit(Jobs.Failing(() => new PermanentException("no")), options);
        engine.Submit(new ManualWork<int>().Work, options).Cancel();

        IReadOnlyList<CollectedMeasurement<long>> measurements = finished.GetMeasurementSnapshot();
        Assert.All(measurements, m => Assert.Equal((1L, "m"), (m.Value, Tag(m, "pacer.lane"))));
        Assert.Equal(["succeeded", "succeeded", "failed", "cancelled"], measurements.Select(m => Tag(m, "pacer.result")));
    }

    [Fact]
    public async Task RetriesCounter_CountsEachParkedAttempt()
    {
        await using PacerEngine engine = CreateEngine(out NewInstruments instruments);
        using NewInstruments _ = instruments;
        using var retries = new MetricCollector<long>(instruments.Get<long>("pacer.job.retries"));
        engine.AddLane("m", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var policy = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10), Jitter = 0 };

        engine.Submit(Jobs.Failing(() => new TimeoutException()), new JobOptions { Lane = "m", Retry = policy });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        IReadOnlyList<CollectedMeasurement<long>> measurements = retries.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count);
        Assert.All(measurements, m => Assert.Equal((1L, "m"), (m.Value, Tag(m, "pacer.lane"))));
    }

    [Fact]
    public async Task DurationHistogram_RecordsSecondsFromSubmissionToTheFinalState()
    {
        await using PacerEngine engine = CreateEngine(out NewInstruments instruments);
        using NewInstruments _ = instruments;
        using var duration = new MetricCollector<double>(instruments.Get<double>("pacer.job.duration"));
        engine.AddLane("m", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(1) } });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "m" });

        engine.Submit(_ => new ValueTask<int>(_time.CompleteAfter(TimeSpan.FromMilliseconds(1500), 0)), new JobOptions { Lane = "m" });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(5));

        CollectedMeasurement<double> last = duration.GetMeasurementSnapshot()[^1];
        Assert.Equal((2.5, "m", "succeeded"), (last.Value, Tag(last, "pacer.lane"), Tag(last, "pacer.result")));
    }

    [Theory]
    [InlineData("pacer.lane.queued_jobs", 2)]
    [InlineData("pacer.lane.running_jobs", 1)]
    [InlineData("pacer.lane.retry_waiting_jobs", 1)]
    public async Task LaneGauges_ReportEachLanesJobs(string instrument, int expected)
    {
        await using PacerEngine engine = CreateEngine(out NewInstruments instruments);
        using NewInstruments _ = instruments;
        using var gauge = new MetricCollector<int>(instruments.GetObservable<int>(instrument));
        engine.AddLane("m", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1) };
        engine.Submit(Jobs.Failing(() => new TimeoutException()), new JobOptions { Lane = "m", Retry = policy });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "m" });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "m" });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "m" });

        gauge.RecordObservableInstruments();

        CollectedMeasurement<int> lane = Assert.Single(gauge.GetMeasurementSnapshot(), m => Tag(m, "pacer.lane") == "m");
        Assert.Equal(expected, lane.Value);
    }

    [Fact]
    public async Task ThroughputAndEtaGauges_ReportTheSnapshotsFigures()
    {
        await using PacerEngine engine = CreateEngine(out NewInstruments instruments);
        using NewInstruments _ = instruments;
        using var throughput = new MetricCollector<double>(instruments.GetObservable<double>("pacer.lane.throughput"));
        using var eta = new MetricCollector<double>(instruments.GetObservable<double>("pacer.lane.eta"));
        engine.AddLane("m", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        for (int i = 0; i < 100; i++)
        {
            engine.Submit(Jobs.Instant, new JobOptions { Lane = "m" });
        }

        _time.AdvanceStepwise(TimeSpan.FromSeconds(5));
        throughput.RecordObservableInstruments();
        eta.RecordObservableInstruments();

        LaneSnapshot lane = engine.GetLaneSnapshot("m");
        Assert.Equal(lane.Throughput, Assert.Single(throughput.GetMeasurementSnapshot(), m => Tag(m, "pacer.lane") == "m").Value);
        Assert.Equal(lane.Eta!.Value.TotalSeconds, Assert.Single(eta.GetMeasurementSnapshot(), m => Tag(m, "pacer.lane") == "m").Value);
    }

    [Fact]
    public async Task EtaGauge_IsNaNWhileUnknown()
    {
        await using PacerEngine engine = CreateEngine(out NewInstruments instruments);
        using NewInstruments _ = instruments;
        using var eta = new MetricCollector<double>(instruments.GetObservable<double>("pacer.lane.eta"));
        engine.Submit(new ManualWork<int>().Work);

        eta.RecordObservableInstruments();

        Assert.True(double.IsNaN(Assert.Single(eta.GetMeasurementSnapshot(), m => Tag(m, "pacer.lane") == PacerEngine.DefaultLaneName).Value));
    }
}
