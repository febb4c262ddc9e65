namespace Pacer.Tests.Scheduling;

public class OptionsValidationTests
{
    private static readonly string NL = Environment.NewLine;

    private static JobOptions Job(string name) => name switch
    {
        "priority" => new JobOptions { Priority = 1_000_001 },
        "negative priority" => new JobOptions { Priority = -1_000_001 },
        "cost" => new JobOptions { Cost = -1 },
        "timeout" => new JobOptions { Timeout = TimeSpan.Zero },
        "lane" => new JobOptions { Lane = "" },
        "attempts" => new JobOptions { Retry = new RetryPolicy { MaxAttempts = 0 } },
        "base delay" => new JobOptions { Retry = new RetryPolicy { BaseDelay = TimeSpan.FromSeconds(-1), MaxDelay = TimeSpan.FromSeconds(1) } },
        "max delay" => new JobOptions { Retry = new RetryPolicy { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1) } },
        "jitter" => new JobOptions { Retry = new RetryPolicy { Jitter = 1.5 } },
        "jitter nan" => new JobOptions { Retry = new RetryPolicy { Jitter = double.NaN } },
        "retry after" => new JobOptions { Retry = new RetryPolicy { MaxRetryAfter = TimeSpan.FromSeconds(-1) } },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static PacerOptions Engine(string name) => name switch
    {
        "time" => new PacerOptions { TimeProvider = null! },
        "aging" => new PacerOptions { PriorityAging = TimeSpan.Zero },
        "retry" => new PacerOptions { DefaultRetry = null! },
        "retry attempts" => new PacerOptions { DefaultRetry = new RetryPolicy { MaxAttempts = 0 } },
        "recent" => new PacerOptions { RecentCompletions = 10_001 },
        "spin" => new PacerOptions { SpinWait = TimeSpan.FromMilliseconds(51) },
        "negative spin" => new PacerOptions { SpinWait = TimeSpan.FromTicks(-1) },
        "default lane" => new PacerOptions { DefaultLane = null! },
        "default lane limit" => new PacerOptions { DefaultLane = new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 0 } },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("priority", "JobOptions: Priority must be between -1000000 and 1000000, got 1000001.")]
    [InlineData("negative priority", "JobOptions: Priority must be between -1000000 and 1000000, got -1000001.")]
    [InlineData("cost", "JobOptions: Cost must be at least 0, got -1.")]
    [InlineData("timeout", "JobOptions: Timeout must be positive, got 00:00:00.")]
    [InlineData("lane", "JobOptions: Lane must not be empty; leave it null for the default lane.")]
    [InlineData("attempts", "JobOptions: Retry.MaxAttempts must be between 1 and 65535, got 0.")]
    [InlineData("base delay", "JobOptions: Retry.BaseDelay must be at least zero, got -00:00:01.")]
    [InlineData("max delay", "JobOptions: Retry.MaxDelay must be at least BaseDelay (00:00:10), got 00:00:01.")]
    [InlineData("jitter", "JobOptions: Retry.Jitter must be between 0 and 1, got 1.5.")]
    [InlineData("jitter nan", "JobOptions: Retry.Jitter must be between 0 and 1, got NaN.")]
    [InlineData("retry after", "JobOptions: Retry.MaxRetryAfter must be at least zero, got -00:00:01.")]
    public async Task Submit_InvalidJobOptions_MessageNamesTheField(string option, string expected)
    {
        await using var engine = new PacerEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.Submit(Jobs.Instant, Job(option)));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public async Task Submit_SeveralInvalidJobOptions_ReportsEachOnItsOwnLine()
    {
        await using var engine = new PacerEngine();
        var options = new JobOptions { Priority = 2_000_000, Cost = -5, Retry = new RetryPolicy { MaxAttempts = 0, Jitter = -0.1 } };

        var error = Assert.Throws<ArgumentException>(() => engine.Submit(Jobs.Instant, options));

        Assert.Equal(
            "JobOptions: Priority must be between -1000000 and 1000000, got 2000000." + NL
            + "JobOptions: Cost must be at least 0, got -5." + NL
            + "JobOptions: Retry.MaxAttempts must be between 1 and 65535, got 0." + NL
            + "JobOptions: Retry.Jitter must be between 0 and 1, got -0.1.",
            error.Message);
    }

    [Fact]
    public async Task CreateBatch_InvalidJobOptions_Throws()
    {
        await using var engine = new PacerEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.CreateBatch<int>(new BatchOptions { JobOptions = Job("cost") }));

        Assert.Equal("JobOptions: Cost must be at least 0, got -1.", error.Message);
    }

    [Theory]
    [InlineData("time", "PacerOptions: TimeProvider must not be null.")]
    [InlineData("aging", "PacerOptions: PriorityAging must be positive, got 00:00:00.")]
    [InlineData("retry", "PacerOptions: DefaultRetry must not be null.")]
    [InlineData("retry attempts", "PacerOptions: DefaultRetry.MaxAttempts must be between 1 and 65535, got 0.")]
    [InlineData("recent", "PacerOptions: RecentCompletions must be between 0 and 10000, got 10001.")]
    [InlineData("spin", "PacerOptions: SpinWait must be between 0 and 50 ms, got 00:00:00.0510000.")]
    [InlineData("negative spin", "PacerOptions: SpinWait must be between 0 and 50 ms, got -00:00:00.0000001.")]
    [InlineData("default lane", "PacerOptions: DefaultLane must not be null.")]
    [InlineData("default lane limit", "Lane 'default': MaxConcurrency must be at least 1, got 0.")]
    public void NewEngine_InvalidPacerOptions_MessageNamesTheField(string option, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new PacerEngine(Engine(option)));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void NewEngine_SeveralInvalidPacerOptions_ReportsEachOnItsOwnLine()
    {
        var options = new PacerOptions { PriorityAging = TimeSpan.FromSeconds(-1), RecentCompletions = -1, DefaultLane = null! };

        var error = Assert.Throws<ArgumentException>(() => new PacerEngine(options));

        Assert.Equal(
            "PacerOptions: PriorityAging must be positive, got -00:00:01." + NL
            + "PacerOptions: RecentCompletions must be between 0 and 10000, got -1." + NL
            + "PacerOptions: DefaultLane must not be null.",
            error.Message);
    }
}
