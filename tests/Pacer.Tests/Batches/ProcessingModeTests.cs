using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Batches;

public sealed class ProcessingModeTests
{
    private static readonly JobOptions s_once = new() { Retry = RetryPolicy.None };
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(1, true, ProcessingMode.Sequential)]
    [InlineData(5, true, ProcessingMode.Combined)]
    [InlineData(5, false, ProcessingMode.Parallel)]
    [InlineData(50, true, ProcessingMode.Parallel)]
    public async Task Auto_ChoosesByItemCount(int count, bool canCombine, ProcessingMode expected)
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });

        ModeResult<int> result = await engine.RunModesAsync(Enumerable.Range(0, count).ToArray(), Options(canCombine)).DefaultTimeout();

        Assert.Equal(expected, result.Mode);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i * 2), result.Items.Select(i => i.Value));
        Assert.Empty(result.Fallbacks);
    }

    [Fact]
    public async Task Combined_SplitsAFailedGroupInHalves_DownToTheItemAtFault()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        var calls = new List<int>();
        var options = new ModeOptions<int, int>
        {
            Mode = ProcessingMode.Combined,
            GroupSize = 8,
            JobOptions = s_once,
            RunOne = (item, _) => item == 5 ? throw new PermanentException("item 5 is malformed") : ValueTask.FromResult(item * 2),
            Combine = (group, _) =>
            {
                lock (calls)
                {
                    calls.Add(group.Count);
                }

                return group.Contains(5)
                    ? throw new PermanentException("the group has a malformed item")
                    : ValueTask.FromResult<IReadOnlyList<int>>([.. group.Select(i => i * 2)]);
            },
        };

        ModeResult<int> result = await engine.RunModesAsync(Enumerable.Range(0, 8).ToArray(), options).DefaultTimeout();

        Assert.Equal(ProcessingMode.Combined, result.Mode);
        Assert.Equal([8, 4, 4, 2, 2], calls.Order().Reverse());
        JobResult<int> failed = Assert.Single(result.Items, i => !i.Succeeded);
        Assert.Equal(5, failed.Index);
        Assert.Equal("item 5 is malformed", failed.Error!.Message);
        Assert.Equal([0, 2, 4, 6, 8, 12, 14], result.Items.Where(i => i.Succeeded).Select(i => i.Value));
    }

    [Fact]
    public async Task ParallelFailingAsAWhole_FallsBackToCombined_WithTheReasonRecorded()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        var options = new ModeOptions<int, int>
        {
            Mode = ProcessingMode.Parallel,
            JobOptions = s_once,
            RunOne = (_, _) => throw new PermanentException("single calls are switched off"),
            Combine = (group, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. group.Select(i => i * 2)]),
        };

        ModeResult<int> result = await engine.RunModesAsync(Enumerable.Range(0, 20).ToArray(), options).DefaultTimeout();

        Assert.Equal(ProcessingMode.Combined, result.Mode);
        Assert.True(result.AllSucceeded);
        Assert.Equal([new ModeFallback(ProcessingMode.Parallel, ProcessingMode.Combined, "single calls are switched off")], result.Fallbacks);
        Assert.Equal(new ModeMetrics(ProcessingMode.Combined, TimeSpan.Zero, 22, TimeSpan.Zero), result.Metrics);
    }

    [Fact]
    public async Task CombinedFailingAsAWhole_FallsBackToSequential_WhichRunsOneAtATime()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        int running = 0;
        int most = 0;
        int singleCalls = 0;
        var options = new ModeOptions<int, int>
        {
            Mode = ProcessingMode.Combined,
            GroupSize = 2,
            JobOptions = s_once,
            RunOne = async (item, _) =>
            {
                // The service is down for the first four calls, the ones combined mode makes when it splits down to single items.
                if (Interlocked.Increment(ref singleCalls) <= 4)
                {
                    throw new PermanentException("503 Service Unavailable");
                }

                most = Math.Max(most, Interlocked.Increment(ref running));
                await Task.Yield();
                Interlocked.Decrement(ref running);
                return item;
            },
            Combine = (_, _) => throw new PermanentException("the batch endpoint is down"),
        };

        ModeResult<int> result = await engine.RunModesAsync([1, 2, 3, 4], options).DefaultTimeout();

        Assert.Equal(ProcessingMode.Sequential, result.Mode);
        Assert.Equal([1, 2, 3, 4], result.Items.Select(i => i.Value));
        Assert.Equal(1, most);
        ModeFallback fallback = Assert.Single(result.Fallbacks);
        Assert.Equal((ProcessingMode.Combined, ProcessingMode.Sequential), (fallback.From, fallback.To));
        Assert.Equal("503 Service Unavailable", fallback.Reason);
        Assert.Equal(2 + 4 + 4, result.Metrics.JobsRun);
    }

    [Fact]
    public async Task Options_AreValidated()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => engine.RunModesAsync(
            [1], new ModeOptions<int, int> { Mode = ProcessingMode.Combined, GroupSize = 0, RunOne = (i, _) => ValueTask.FromResult(i) }));

        Assert.Equal(
            "ModeOptions: GroupSize must be at least 1, got 0." + Environment.NewLine + "ModeOptions: Mode Combined needs a Combine function.",
            error.Message);
    }

    private static ModeOptions<int, int> Options(bool canCombine) => new()
    {
        JobOptions = s_once,
        RunOne = (item, _) => ValueTask.FromResult(item * 2),
        Combine = canCombine ? (group, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. group.Select(i => i * 2)]) : null,
    };
}
