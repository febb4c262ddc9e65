using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Batches;

/// <summary>Fan-out results stream in tree order as they become final, while the tree still runs.</summary>
public sealed class TreeStreamTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Results_come_in_tree_order_each_as_soon_as_everything_before_it_is_final()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        Batch<string> batch = engine.CreateBatch<string>();
        var slowChild = new ManualWork<string>();
        var later = new ManualWork<string>();
        batch.Add(context =>
        {
            context.AddChild<string>(slowChild.Work);
            context.AddChild<string>(_ => ValueTask.FromResult("a2"));
            return ValueTask.FromResult("a");
        });
        batch.Add(later.Work);
        later.Complete("b"); // b is final first, but comes after a's subtree
        batch.CompleteAdding();

        var read = new List<string?>();
        await using IAsyncEnumerator<JobResult<string>> reader = batch.ReadInTreeOrderAsync().GetAsyncEnumerator();

        // a is final; its first child is not: a comes at once, and nothing after it.
        Assert.True(await reader.MoveNextAsync().AsTask().DefaultTimeout());
        read.Add(reader.Current.Value);
        ValueTask<bool> next = reader.MoveNextAsync();
        Assert.False(next.IsCompleted);

        slowChild.Complete("a1");
        while (await next.AsTask().DefaultTimeout())
        {
            read.Add(reader.Current.Value);
            next = reader.MoveNextAsync();
        }

        Assert.Equal(["a", "a1", "a2", "b"], read);
        Assert.Equal(read, (await batch.WhenAllAsync().DefaultTimeout()).Items.Select(i => i.Value));
    }

    [Fact]
    public async Task Under_FailParent_a_parent_waits_for_its_subtree_and_comes_failed()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { ChildFailure = ChildFailureMode.FailParent });
        var child = new ManualWork<int>();
        batch.Add(context =>
        {
            context.AddChild<int>(child.Work);
            return ValueTask.FromResult(1);
        });
        batch.CompleteAdding();

        Task<List<JobResult<int>>> reading = ReadAll(batch);
        Assert.False(reading.IsCompleted);
        child.Fail(new PermanentException("gone"));
        List<JobResult<int>> results = await reading.DefaultTimeout();

        Assert.Equal([JobState.Failed, JobState.Failed], results.Select(r => r.State));
        Assert.IsType<ChildJobsFailedException>(results[0].Error);
    }

    private static async Task<List<JobResult<T>>> ReadAll<T>(Batch<T> batch)
    {
        var results = new List<JobResult<T>>();
        await foreach (JobResult<T> result in batch.ReadInTreeOrderAsync())
        {
            results.Add(result);
        }

        return results;
    }
}
