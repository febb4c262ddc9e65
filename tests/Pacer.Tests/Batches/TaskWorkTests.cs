using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Pacer.Tests.Batches;

/// <summary>Work that returns Task (as HttpClient and SDKs do), and items that arrive as an IAsyncEnumerable.</summary>
public sealed class TaskWorkTests
{
    private static Task<string> CallAsync(int item, CancellationToken cancellationToken) => Task.FromResult($"r{item}");

    [Fact]
    public async Task ForEachAsync_takes_a_Task_returning_call_as_it_is()
    {
        await using var engine = new PacerEngine();

        string[] results = await engine.ForEachAsync(Enumerable.Range(0, 50), (item, token) => CallAsync(item, token)).DefaultTimeout();
        string[] byGroup = await engine.ForEachAsync(Enumerable.Range(0, 3), CallAsync).DefaultTimeout();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r{i}"), results);
        Assert.Equal(["r0", "r1", "r2"], byGroup);
    }

    [Fact]
    public async Task An_async_lambda_still_compiles_and_runs_as_ValueTask_work()
    {
        await using var engine = new PacerEngine();

        int[] results = await engine.ForEachAsync(Enumerable.Range(0, 5), async (i, ct) =>
        {
            await Task.Yield();
            return i * 2;
        }).DefaultTimeout();
        int one = await engine.RunAsync(async context =>
        {
            await Task.Yield();
            return context.Attempt;
        }).DefaultTimeout();

        Assert.Equal([0, 2, 4, 6, 8], results);
        Assert.Equal(1, one);
    }

    [Fact]
    public async Task Submit_RunAsync_and_RunBatchAsync_take_Task_work()
    {
        await using var engine = new PacerEngine();

        JobHandle<string> handle = engine.Submit(context => CallAsync(1, context.CancellationToken));
        string ran = await engine.RunAsync(context => CallAsync(2, context.CancellationToken)).DefaultTimeout();
        BatchResult<string> batch = await engine.RunBatchAsync([3, 4], (item, context) => CallAsync(item, context.CancellationToken)).DefaultTimeout();

        Assert.Equal("r1", await handle.Task.DefaultTimeout());
        Assert.Equal("r2", ran);
        Assert.Equal(["r3", "r4"], batch.Items.Select(i => i.Value));
    }

    [Fact]
    public async Task Items_that_arrive_asynchronously_are_run_as_they_arrive_with_results_in_order()
    {
        await using var engine = new PacerEngine();
        var items = Channel.CreateUnbounded<int>();
        var seen = new TaskCompletionSource();

        Task<string[]> running = engine.ForEachAsync(items.Reader.ReadAllAsync(), (item, token) =>
        {
            if (item == 0)
            {
                seen.TrySetResult();
            }

            return CallAsync(item, token);
        });

        await items.Writer.WriteAsync(0);
        await seen.Task.DefaultTimeout(); // the first ran before the rest were written
        foreach (int i in Enumerable.Range(1, 9))
        {
            await items.Writer.WriteAsync(i);
        }

        items.Writer.Complete();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i}"), await running.DefaultTimeout());
    }

    [Fact]
    public async Task A_source_that_fails_cancels_what_it_submitted_and_throws_its_error()
    {
        await using var engine = new PacerEngine();
        engine.AddLane("one", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var blocker = new ManualWork<int>(honourToken: true);

        Task<BatchResult<int>> running = engine.RunBatchAsync(
            FailingAfter(3),
            (item, context) => item == 0 ? blocker.Work(context) : ValueTask.FromResult(item),
            new BatchOptions { JobOptions = new JobOptions { Lane = "one" } });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => running.DefaultTimeout());
        Assert.Equal("the listing broke", error.Message);
        // What was submitted ends cancelled: the one running gives its slot back once its work returns.
        await Eventually.HoldsAsync(() => engine.GetLaneSnapshot("one") is { Queued: 0, Running: 0, Cancelled: 3 }, "the three jobs submitted to end cancelled");
    }

    private static async IAsyncEnumerable<int> FailingAfter(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new InvalidOperationException("the listing broke");
    }
}
