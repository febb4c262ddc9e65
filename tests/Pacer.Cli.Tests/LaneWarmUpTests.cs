using Microsoft.Extensions.Time.Testing;
using Pacer.Cli.Config;
using Pacer.Cli.Run;

namespace Pacer.Cli.Tests;

/// <summary>
/// A rate-limited lane's first request goes alone; the rest wait until it has left (its first bytes
/// written; on an adaptive lane, until its answer has begun), or half a second, and then one start
/// interval.
/// </summary>
public sealed class LaneWarmUpTests
{
    [Fact]
    public async Task FirstWriteStream_TellsOnceItsFirstBytesAreWritten_AndPassesEverythingThrough()
    {
        var inner = new MemoryStream();
        var written = new TaskCompletionSource();
        await using var stream = new FirstWriteStream(inner, written);

        Assert.False(written.Task.IsCompleted);
        await stream.WriteAsync("GET / HTTP/1.1\r\n"u8.ToArray());
        Assert.True(written.Task.IsCompletedSuccessfully);
        stream.Write("Host: a\r\n\r\n"u8);

        Assert.Equal("GET / HTTP/1.1\r\nHost: a\r\n\r\n", System.Text.Encoding.ASCII.GetString(inner.ToArray()));
        inner.Position = 0;
        byte[] read = new byte[3];
        Assert.Equal(3, await stream.ReadAsync(read));
        Assert.Equal("GET"u8.ToArray(), read);
    }

    [Fact]
    public async Task TheRest_GoOneIntervalAfterTheFirstLeft_WithoutWaitingForItsAnswer()
    {
        // 20 a second with a 20 ms margin: one start every 51 ms.
        var time = new FakeTimeProvider();
        var sent = new TaskCompletionSource();
        var warmUp = new LaneWarmUp(Lanes(), time, _ => sent.Task);

        TaskCompletionSource? answered = warmUp.BeginIfFirst("api");
        Assert.NotNull(answered);
        Assert.Null(warmUp.BeginIfFirst("api"));
        Task warm = warmUp.WhenWarm("api");

        time.Advance(TimeSpan.FromMilliseconds(65));
        sent.SetResult();
        time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.False(warm.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await warm.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WithoutTheSignalThatItLeft_TheRestWaitForTheFirstAnswer()
    {
        var time = new FakeTimeProvider();
        var warmUp = new LaneWarmUp(Lanes(), time);
        TaskCompletionSource answered = warmUp.BeginIfFirst("api")!;
        Task warm = warmUp.WhenWarm("api");

        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(warm.IsCompleted);
        answered.SetResult();
        time.Advance(TimeSpan.FromMilliseconds(51));
        await warm.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AnAdaptiveLane_WaitsForTheFirstAnswer_EvenOnceItLeft()
    {
        // A second request sent while the first is unanswered would make a refusal read as the
        // concurrency cap's.
        var time = new FakeTimeProvider();
        var sent = new TaskCompletionSource();
        var warmUp = new LaneWarmUp(Lanes(adaptive: true), time, _ => sent.Task);
        TaskCompletionSource answered = warmUp.BeginIfFirst("api")!;
        Task warm = warmUp.WhenWarm("api");

        sent.SetResult();
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(warm.IsCompleted);
        answered.SetResult();
        time.Advance(TimeSpan.FromMilliseconds(51));
        await warm.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static Dictionary<string, LaneConfig> Lanes(bool adaptive = false) => new()
    {
        ["api"] = new LaneConfig(
            "api",
            null,
            new LaneOptions
            {
                Rates = { RateLimit.PerSecond(20) },
                PeriodMargin = TimeSpan.FromMilliseconds(20),
                Adaptive = adaptive ? new AdaptiveOptions() : null,
            },
            [],
            LaneRetry.Default,
            null),
    };
}
