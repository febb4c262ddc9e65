using System.Text.Json;

namespace Pacer.Cli.Tests.Nginx;

/// <summary>
/// `pacer run` against a real nginx keeping <c>limit_req</c> and <c>limit_conn</c>, judged from
/// nginx's own access log. What must always hold: told the truth, no request is refused; told too
/// much with <c>--adaptive</c>, every line still ends with a 200. How fast, and how many 429s on the
/// way, is measured in bench/adaptive-nginx.sh.
/// </summary>
[Collection(nameof(NginxServers))]
public sealed class NginxLimitTests
{
    private static string Lines(NginxServer nginx, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $$"""{"id":{{i}},"url":"{{nginx.BaseUri}}item/{{i}}"}""" + "\n"));

    [Fact]
    public async Task Told_the_true_limits_nginx_refuses_nothing()
    {
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 20, Burst: 5, Concurrency: 4, Latency: TimeSpan.FromMilliseconds(50)));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--rps", "20", "--burst", "5", "--concurrency", "4", "--retries", "0", "--progress", "none"], Lines(nginx, 80))
            .WaitAsync(TimeSpan.FromMinutes(2));

        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(80, log.Count);
        Assert.True(log.All(r => r.Status == 200), $"nginx refused {log.Count(r => r.Status != 200)} of {log.Count}:\n{run.Error}");
    }

    [Fact]
    public async Task Told_five_times_too_much_an_adaptive_run_still_ends_every_line_with_a_200()
    {
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 20, Burst: 5, Concurrency: 4, Latency: TimeSpan.FromMilliseconds(20)));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--rps", "100", "--burst", "25", "--concurrency", "20", "--adaptive", "--retries", "10", "--progress", "none"], Lines(nginx, 60))
            .WaitAsync(TimeSpan.FromMinutes(2));

        // nginx writes a request's log line just after it has sent the answer: the last may come
        // a moment after the run has ended.
        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count(r => r.Status == 200) >= 60, "nginx's log to show 60 answers with a 200", TimeSpan.FromSeconds(30));
        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(60, results.Count);
        Assert.All(results, r => Assert.Equal(200, r.GetProperty("status").GetInt32()));

        // nginx answered each item once with a 200, whatever it refused on the way.
        Assert.Equal(60, log.Where(r => r.Status == 200).Select(r => r.Uri).Distinct().Count());
        Assert.Equal(60, log.Count(r => r.Status == 200));

        // The summary says what the lane learned, as flags to start from next time, if nginx refused any.
        if (log.Any(r => r.Status == 429))
        {
            Assert.Matches(@"lane default: learned [0-9.]+/s, [0-9]+ at once from [0-9]+ answers 429, under the 100/s it was told\. To start there next time, give --rps [0-9]+ --concurrency [0-9]+\.", run.Error);
        }
    }

    [Fact]
    public async Task A_concurrency_cap_it_cannot_see_an_adaptive_run_learns_and_ends_every_line_with_a_200()
    {
        // The rate is no limit (1,000 a second); 3 at once is, and nginx answers a fourth with a 429 at once.
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 1000, Burst: 100, Concurrency: 3, Latency: TimeSpan.FromMilliseconds(100)));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--rps", "1000", "--concurrency", "15", "--adaptive", "--retries", "10", "--progress", "none"], Lines(nginx, 60))
            .WaitAsync(TimeSpan.FromMinutes(2));

        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(60, log.Where(r => r.Status == 200).Select(r => r.Uri).Distinct().Count());
        Assert.Equal(60, log.Count(r => r.Status == 200));
    }
}

/// <summary>The nginx tests run one at a time: each judges timing from the service's side, and they share two cores.</summary>
[CollectionDefinition(nameof(NginxServers), DisableParallelization = true)]
public sealed class NginxServers;
