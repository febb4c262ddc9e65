using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Pacer.Cli.Config;

namespace Pacer.Cli.Tests;

/// <summary>Fractional rates in pacer.yaml are exact; a key given twice is an error, never "the last one wins".</summary>
public sealed class ConfigRateTests
{
    private static async Task<string> WriteAsync(TempDir dir, string yaml)
    {
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, yaml);
        return config;
    }

    private static async Task<LaneOptions> LimitsOfAsync(string lane)
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, $"lanes:\n  a:\n    {lane}\n");
        var errors = new List<string>();
        IReadOnlyList<LaneConfig>? lanes = ConfigLoader.Load(config, _ => null, errors);
        Assert.Empty(errors);
        return Assert.Single(lanes!).Limits;
    }

    [Theory]
    [InlineData("rps: 0.5", 1, 2)]
    [InlineData("rps: 2.5", 5, 2)]
    [InlineData("rps: 0.333", 333, 1000)]
    [InlineData("rps: 0.250", 1, 4)]
    [InlineData("rps: 20", 20, 1)]
    [InlineData("rps: 20.0", 20, 1)]
    [InlineData("rpm: 0.5", 1, 120)]
    [InlineData("rpm: 1.5", 3, 120)]
    public async Task FractionalRequestRates_AreWholePermitsPerALongerPeriod_WithNoRounding(string lane, long permits, int seconds)
    {
        LaneOptions limits = await LimitsOfAsync(lane);

        Assert.Equal([new RateLimit(permits, TimeSpan.FromSeconds(seconds))], limits.Rates);
    }

    [Fact]
    public async Task FractionalTokenRate_IsExact_WithASecondsWorthOfTokensAsItsBurst()
    {
        LaneOptions limits = await LimitsOfAsync("tpm: 1500.5");

        Assert.Equal([new RateLimit(3001, TimeSpan.FromMinutes(2), 25)], limits.CostRates);
    }

    [Fact]
    public async Task HalfARequestPerSecond_StartsOneRequestEveryTwoSeconds()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, "lanes:\n  slow:\n    rps: 0.5\n    margin: 0\n");
        var errors = new List<string>();
        IReadOnlyList<LaneConfig> lanes = ConfigLoader.Load(config, _ => null, errors)!;
        var time = new FakeTimeProvider();
        PacerEngine engine = (await ConfigLoader.TryBuildEngineAsync(lanes, time, errors))!;
        await using (engine)
        {
            DateTimeOffset start = time.GetUtcNow();
            var starts = new ConcurrentQueue<TimeSpan>();
            for (int i = 0; i < 3; i++)
            {
                engine.Submit(_ =>
                {
                    starts.Enqueue(time.GetUtcNow() - start);
                    return ValueTask.FromResult(0);
                }, new JobOptions { Lane = "slow" });
            }

            time.Advance(TimeSpan.FromMilliseconds(1999));
            Assert.Equal([TimeSpan.Zero], starts);
            time.Advance(TimeSpan.FromMilliseconds(1));
            time.Advance(TimeSpan.FromSeconds(2));

            Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], starts);
        }
    }

    [Theory]
    [InlineData("rps: 0.0001", "line 3, column 10: lane 'a': rps may have at most 3 decimals, got 0.0001; for a slower rate give rpm.")]
    [InlineData("rpm: 0.0001", "line 3, column 10: lane 'a': rpm may have at most 3 decimals, got 0.0001.")]
    [InlineData("rps: 0", "line 3, column 10: lane 'a': rps must be a number above 0, such as 20 or 0.5, got 0.")]
    [InlineData("rps: 0.000", "line 3, column 10: lane 'a': rps must be a number above 0, such as 20 or 0.5, got 0.000.")]
    [InlineData("tpm: 10000000000000", "line 3, column 10: lane 'a': tpm must be at most 1,000,000,000,000, got 10000000000000.")]
    public async Task RatesOutOfRange_AreErrors_NamingTheKeyAndTheValue(string lane, string expected)
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, $"lanes:\n  a:\n    {lane}\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{config}: {expected}\n", run.Error);
    }

    [Fact]
    public async Task ALaneGivenTwice_IsAnError_NamingBothLines()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, "lanes:\n  api:\n    rps: 5\n  api:\n    rps: 6\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{config}: line 4, column 3: lane 'api' is given twice, on lines 2 and 4; give it once.\n", run.Error);
    }

    [Fact]
    public async Task AKeyGivenTwiceInALane_IsAnError_NamingBothLines()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, "lanes:\n  api:\n    rps: 5\n    burst: 2\n    rps: 6\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{config}: line 5, column 5: lane 'api': 'rps' is given twice, on lines 3 and 5; give it once.\n", run.Error);
    }

    [Fact]
    public async Task AHeaderGivenTwice_InAnyCase_IsAnError_NamingBothLines()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, "lanes:\n  api:\n    headers:\n      Authorization: a\n      authorization: b\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{config}: line 5, column 7: lane 'api': header 'authorization' is given twice, on lines 4 and 5; give it once.\n", run.Error);
    }

    [Fact]
    public async Task AKeyGivenTwiceOnOneLine_SaysSo()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, "lanes:\n  api: {rps: 5, rps: 6}\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{config}: line 2, column 17: lane 'api': 'rps' is given twice on line 2; give it once.\n", run.Error);
    }
}
