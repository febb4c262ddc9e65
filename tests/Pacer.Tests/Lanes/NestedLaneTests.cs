namespace Pacer.Tests.Lanes;

public class NestedLaneTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    [Fact]
    public async Task ChildJob_StartsOnlyWhenTheParentHasRoom()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("openai", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        engine.AddLane("openai/gpt-4o", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 5 });
        var parentWork = new ManualWork<int>();
        engine.Submit(parentWork.Work, new JobOptions { Lane = "openai" });

        JobHandle<int> child = engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "openai/gpt-4o" });
        Assert.Equal(JobState.Queued, child.State);

        parentWork.Complete(0);
        Assert.Equal(JobState.Running, child.State);
    }

    [Fact]
    public async Task SiblingLanes_ShareTheParentsConcurrency()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("openai", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 });
        engine.AddLane("openai/gpt-4o", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("openai/mini", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        ManualWork<int>[] big = [new(), new()];
        foreach (ManualWork<int> work in big)
        {
            engine.Submit(work.Work, new JobOptions { Lane = "openai/gpt-4o" });
        }

        JobHandle<int> small = engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "openai/mini" });
        Assert.Equal(JobState.Queued, small.State);
        Assert.Equal(2, engine.GetLaneSnapshot("openai").Running);

        big[0].Complete(0);
        Assert.Equal(JobState.Running, small.State);
        Assert.Equal(2, engine.GetLaneSnapshot("openai").Running);
    }

    [Fact]
    public async Task ParentRate_PacesTheJobsOfAllItsChildren()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("p", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        engine.AddLane("p/a", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("p/b", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var log = new StartLog(_time);

        Task<int>[] jobs = [.. Enumerable.Range(0, 6).Select(i => engine.RunAsync(log.Instant(), new JobOptions { Lane = i % 2 == 0 ? "p/a" : "p/b" }))];
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Ms.Of(0, 100, 200, 300, 400, 500), log.Times);
    }

    [Fact]
    public async Task ChildRate_PacesOnlyTheChild()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("p", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("p/slow", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(1) } });
        var log = new StartLog(_time);

        Task<int>[] slow = [.. Enumerable.Range(0, 2).Select(_ => engine.RunAsync(log.Instant("slow"), new JobOptions { Lane = "p/slow" }))];
        Task<int>[] parent = [.. Enumerable.Range(0, 3).Select(_ => engine.RunAsync(log.Instant("parent"), new JobOptions { Lane = "p" }))];
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll([.. slow, .. parent]).DefaultTimeout();
        Assert.Equal(["slow", "parent", "parent", "parent", "slow"], log.Names);
        Assert.Equal(TimeSpan.FromSeconds(1), log.Times[^1]);
    }

    [Fact]
    public async Task GrandchildJob_NeedsRoomInEveryAncestor()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("global", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        engine.AddLane("global/openai", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("global/openai/gpt-4o", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("global/github", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var other = new ManualWork<int>();
        engine.Submit(other.Work, new JobOptions { Lane = "global/github" });

        JobHandle<int> deep = engine.Submit(Jobs.Instant, new JobOptions { Lane = "global/openai/gpt-4o" });
        Assert.Equal(JobState.Queued, deep.State);

        other.Complete(0);
        Assert.Equal(JobState.Succeeded, deep.State);
    }

    [Fact]
    public async Task ParentSnapshot_CountsTheJobsOfItsSubLanes()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("p", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 });
        engine.AddLane("p/a", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("p/b", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "p/a" });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "p/b" });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "p/b" });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "p" });

        LaneSnapshot parent = engine.GetLaneSnapshot("p");
        LaneSnapshot b = engine.GetLaneSnapshot("p/b");

        Assert.Equal((2, 2), (parent.Running, parent.Queued));
        Assert.Equal((1, 1), (b.Running, b.Queued));
    }
}
