using Pacer.Cli.Tests.Nginx;

namespace Pacer.Cli.Tests;

/// <summary>
/// <c>quota:</c> in pacer.yaml: what <c>pacer validate</c> lists, each mistake named with the value
/// given, and a run that waits for the refill, judged from nginx's access log.
/// </summary>
[Collection(nameof(NginxServers))]
public sealed class ConfigQuotaTests
{
    private static async Task<CliRun> ValidateAsync(TempDir dir, string yaml)
    {
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, yaml);
        return await CliRun.InvokeAsync(["validate", config]);
    }

    [Fact]
    public async Task AQuotaADay_OrEverySoLong_IsListed()
    {
        using var dir = new TempDir();

        CliRun run = await ValidateAsync(dir, "lanes:\n  daily:\n    rps: 5\n    quota: 1000/day\n  hourly:\n    quota: 100 / 1h\n");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("quota 1,000 a day (from midnight UTC)", run.Out);
        Assert.Contains("quota 100 every 1h", run.Out);
    }

    [Theory]
    [InlineData("1000", "got 1000 (give how often it refills after a slash).")]
    [InlineData("0/day", "got '0/day'.")]
    [InlineData("ten/day", "got 'ten/day'.")]
    [InlineData("10/week", "got '10/week'")]
    [InlineData("10/60", "got '10/60' (a number needs a unit")]
    [InlineData("10/400d", "got '10/400d'.")]
    public async Task AQuotaThatIsNotOne_IsNamedWithWhatWasGiven(string value, string error)
    {
        using var dir = new TempDir();

        CliRun run = await ValidateAsync(dir, $"lanes:\n  api:\n    rps: 5\n    quota: {value}\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 4, column 12: lane 'api': quota must be requests and how often they refill, such as 1000/day (from midnight UTC) or 100/1h, " + error, run.Error);
    }

    [Fact]
    public async Task ASpentQuota_HoldsTheRestUntilItRefills_AsNginxSeesIt()
    {
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 1000, Burst: 1000, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(10)));
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, $"lanes:\n  nginx:\n    baseUrl: {nginx.BaseUri}\n    rps: 100\n    quota: 3/2s\n    retries: 0\n");
        string lines = string.Concat(Enumerable.Range(0, 6).Select(i => $$"""{"id":{{i}},"url":"{{nginx.BaseUri}}item/{{i}}"}""" + "\n"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], lines).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(run.ExitCode == 0, run.Error);
        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= 6, "nginx's log to show the 6 requests", TimeSpan.FromSeconds(30));
        double[] arrivals = [.. (await nginx.ReadLogAsync()).Select(r => r.StartMs).Order()];
        // Three at once; the fourth once the quota refills, 2 s after the lane began.
        Assert.True(arrivals[2] - arrivals[0] < 1000, $"the first three took {arrivals[2] - arrivals[0]:0} ms");
        Assert.True(arrivals[3] - arrivals[0] >= 1500, $"the fourth came {arrivals[3] - arrivals[0]:0} ms after the first");
    }
}
