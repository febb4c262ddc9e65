namespace Pacer.Tests.Lanes;

public class LaneValidationTests
{
    private static readonly string NL = Environment.NewLine;

    private static LaneOptions Options(string name) => name switch
    {
        "concurrency" => new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 0 },
        "permits" => new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { new RateLimit(0, TimeSpan.FromSeconds(1)) } },
        "period" => new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { new RateLimit(5, TimeSpan.Zero) } },
        "burst" => new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(5), RateLimit.PerMinute(5, burst: 0) } },
        "null rate" => new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { null! } },
        "cost rate" => new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerMinute(1000), null!, new RateLimit(10, TimeSpan.FromSeconds(-1)) } },
        "quota limit" => new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 0, RefillEvery = TimeSpan.FromHours(1) } },
        "quota no schedule" => new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 5 } },
        "quota two schedules" => new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 5, RefillEvery = TimeSpan.FromHours(1), ResetAtUtc = TimeOnly.MinValue } },
        "margin" => new LaneOptions { PeriodMargin = TimeSpan.FromMilliseconds(-1) },
        "max pause" => new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxPause = TimeSpan.FromDays(32) },
        "negative max pause" => new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxPause = TimeSpan.FromSeconds(-1) },
        "quota period" => new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 5, RefillEvery = TimeSpan.FromSeconds(-1) } },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("concurrency", "Lane 'openai': MaxConcurrency must be at least 1, got 0.")]
    [InlineData("permits", "Lane 'openai': Rates[0].Permits must be at least 1, got 0.")]
    [InlineData("period", "Lane 'openai': Rates[0].Period must be positive, got 00:00:00.")]
    [InlineData("burst", "Lane 'openai': Rates[1].Burst must be at least 1, got 0.")]
    [InlineData("null rate", "Lane 'openai': Rates[0] must not be null.")]
    [InlineData("quota limit", "Lane 'openai': Quota.Limit must be at least 1, got 0.")]
    [InlineData("quota no schedule", "Lane 'openai': Quota needs exactly one of RefillEvery and ResetAtUtc.")]
    [InlineData("quota two schedules", "Lane 'openai': Quota needs exactly one of RefillEvery and ResetAtUtc.")]
    [InlineData("quota period", "Lane 'openai': Quota.RefillEvery must be positive, got -00:00:01.")]
    [InlineData("margin", "Lane 'openai': PeriodMargin must be between 0 and 1 hour, got -00:00:00.0010000.")]
    [InlineData("max pause", "Lane 'openai': MaxPause must be between 0 and 31 days, got 32.00:00:00.")]
    [InlineData("negative max pause", "Lane 'openai': MaxPause must be between 0 and 31 days, got -00:00:01.")]
    public async Task AddLane_InvalidOption_MessageNamesTheLaneAndTheField(string option, string expected)
    {
        await using var engine = new PacerEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.AddLane("openai", Options(option)));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public async Task AddLane_SeveralInvalidOptions_ReportsEachOnItsOwnLine()
    {
        await using var engine = new PacerEngine();
        LaneOptions options = Options("cost rate");
        options.MaxConcurrency = -2;

        var error = Assert.Throws<ArgumentException>(() => engine.AddLane("openai", options));

        Assert.Equal(
            "Lane 'openai': MaxConcurrency must be at least 1, got -2." + NL
            + "Lane 'openai': CostRates[1] must not be null." + NL
            + "Lane 'openai': CostRates[2].Period must be positive, got -00:00:01.",
            error.Message);
        Assert.DoesNotContain("openai", engine.LaneNames);
    }

    [Fact]
    public async Task UpdateLane_InvalidOption_KeepsTheOldLimits()
    {
        await using var engine = new PacerEngine();
        engine.AddLane("openai", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 3 });

        var error = Assert.Throws<ArgumentException>(() => engine.UpdateLane("openai", Options("concurrency")));

        Assert.Equal("Lane 'openai': MaxConcurrency must be at least 1, got 0.", error.Message);
        Assert.Equal(3, engine.GetLaneSnapshot("openai").MaxConcurrency);
    }

    [Theory]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("open ai")]
    [InlineData("gpt-4o*")]
    [InlineData("café")]
    public async Task AddLane_MalformedName_Throws(string name)
    {
        await using var engine = new PacerEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.AddLane(name, new LaneOptions { PeriodMargin = TimeSpan.Zero }));

        Assert.Equal($"Lane name '{name}' is malformed: use segments of letters, digits and -_.: joined by '/'. (Parameter 'name')", error.Message);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("api.github.com:443")]
    [InlineData("a_b-c.d:e")]
    public async Task AddLane_WellFormedName_IsAccepted(string name)
    {
        await using var engine = new PacerEngine();

        engine.AddLane(name, new LaneOptions { PeriodMargin = TimeSpan.Zero });

        Assert.Contains(name, engine.LaneNames);
    }

    [Fact]
    public async Task AddLane_EmptyName_Throws()
    {
        await using var engine = new PacerEngine();

        Assert.Throws<ArgumentException>("name", () => engine.AddLane("", new LaneOptions { PeriodMargin = TimeSpan.Zero }));
    }

    [Fact]
    public async Task AddLane_NameTaken_Throws()
    {
        await using var engine = new PacerEngine();
        engine.AddLane("openai", new LaneOptions { PeriodMargin = TimeSpan.Zero });

        var error = Assert.Throws<ArgumentException>(() => engine.AddLane("openai", new LaneOptions { PeriodMargin = TimeSpan.Zero }));

        Assert.Equal("Lane 'openai' already exists; change its limits with UpdateLane. (Parameter 'name')", error.Message);
    }

    [Fact]
    public async Task AddLane_DefaultLaneName_IsTaken()
    {
        await using var engine = new PacerEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.AddLane(PacerEngine.DefaultLaneName, new LaneOptions { PeriodMargin = TimeSpan.Zero }));

        Assert.Equal("Lane 'default' already exists; change its limits with UpdateLane. (Parameter 'name')", error.Message);
    }

    [Fact]
    public async Task AddLane_ParentMissing_Throws()
    {
        await using var engine = new PacerEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.AddLane("openai/gpt-4o", new LaneOptions { PeriodMargin = TimeSpan.Zero }));

        Assert.Equal("Lane 'openai/gpt-4o': parent lane 'openai' does not exist; add it first. (Parameter 'name')", error.Message);
    }

    [Fact]
    public async Task Submit_UnknownLane_Throws()
    {
        await using var engine = new PacerEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.Submit(Jobs.Instant, new JobOptions { Lane = "nope" }));

        Assert.Equal("Lane 'nope' does not exist; add it with AddLane first.", error.Message);
    }

    [Fact]
    public async Task UpdateLane_UnknownLane_Throws()
    {
        await using var engine = new PacerEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.UpdateLane("nope", new LaneOptions { PeriodMargin = TimeSpan.Zero }));

        Assert.Equal("Lane 'nope' does not exist; add it with AddLane first.", error.Message);
    }

    [Fact]
    public async Task LaneNames_ListParentsBeforeChildren()
    {
        await using var engine = new PacerEngine();
        engine.AddLane("openai", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("openai/gpt-4o", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("anthropic", new LaneOptions { PeriodMargin = TimeSpan.Zero });

        Assert.Equal(["anthropic", "default", "openai", "openai/gpt-4o"], engine.LaneNames);
    }
}
