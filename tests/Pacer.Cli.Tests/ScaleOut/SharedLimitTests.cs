using System.Globalization;
using Pacer.Cli.Tests.Nginx;
using Pacer.Postgres.Tests;
using Pacer.Redis.Tests;

namespace Pacer.Cli.Tests.ScaleOut;

/// <summary>
/// Four <c>pacer run</c> processes, one lane, one limit kept together through a shared lane state
/// (a real Redis, a real PostgreSQL), against a real nginx keeping that limit with
/// <c>limit_req</c>. Judged from nginx's access log: nginx refuses nothing, no second holds more
/// than the limit, and together the processes use the limit.
/// </summary>
[Collection(nameof(NginxServers))]
public sealed class SharedLimitTests : IAsyncLifetime, IDisposable
{
    private const int Processes = 4;
    private const int LinesEach = 60;
    private const int Rate = 20;
    private const int Burst = 5;

    private readonly RedisServer _redis = new();
    private readonly PostgresServer _postgres = new();
    private readonly TempDir _dir = new();

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        await _postgres.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Four_processes_through_Redis_keep_one_limit_and_use_it()
    {
        using NginxServer nginx = await StartNginxAsync();

        IReadOnlyList<NginxRequest> log = await RunFourAsync(nginx, _redis.Address, whileRunning: null);

        AssertOneLimitKept(log);
    }

    [Fact]
    public async Task Four_processes_through_PostgreSQL_keep_one_limit_and_use_it()
    {
        using NginxServer nginx = await StartNginxAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(_postgres.NewDatabase());
        string url = string.Create(CultureInfo.InvariantCulture, $"postgres://{database.Username}@127.0.0.1:{database.Port}/{database.Database}");

        IReadOnlyList<NginxRequest> log = await RunFourAsync(nginx, url, whileRunning: null);

        AssertOneLimitKept(log);
    }

    [Fact]
    public async Task Redis_restarted_mid_run_the_runs_complete_and_the_limit_holds()
    {
        using NginxServer nginx = await StartNginxAsync();

        await AssertRestartMidRunKeepsTheLimitAsync(nginx, _redis.Address, _redis.StopAsync, _redis.StartAsync);
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_run_the_runs_complete_and_the_limit_holds()
    {
        using NginxServer nginx = await StartNginxAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(_postgres.NewDatabase());
        string url = string.Create(CultureInfo.InvariantCulture, $"postgres://{database.Username}@127.0.0.1:{database.Port}/{database.Database}");

        await AssertRestartMidRunKeepsTheLimitAsync(nginx, url, _postgres.StopAsync, _postgres.StartAsync);
    }

    [Fact]
    public async Task A_process_killed_holding_every_slot_gives_them_back_after_its_lease_time()
    {
        // Two at once, as nginx keeps it (limit_conn); each answer takes a second.
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 100, Burst: 100, Concurrency: 2, Latency: TimeSpan.FromSeconds(1)));
        string config = Write("pacer.yaml", $"""
            state: {_redis.Address}
            lanes:
              nginx:
                baseUrl: {nginx.BaseUri}
                rps: 100
                concurrency: 2
                leaseTime: 2s
                retries: 0
            """);
        string lines(string who, int count) => string.Concat(Enumerable.Range(0, count).Select(i => $$"""{"id":{{i}},"url":"{{nginx.BaseUri}}{{who}}/{{i}}"}""" + "\n"));
        using PacerProcess first = PacerProcess.Start(PacerProcess.Input.Empty, "run", Write("first.jsonl", lines("first", 20)), "--config", config, "--progress", "none");
        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= 2, "the first process to hold both slots", TimeSpan.FromMinutes(1));

        await first.SignalAsync("KILL");
        DateTimeOffset killed = DateTimeOffset.UtcNow;
        using PacerProcess second = PacerProcess.Start(PacerProcess.Input.Empty, "run", Write("second.jsonl", lines("second", 6)), "--config", config, "--progress", "none");
        int exit = await second.ExitCodeAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, second.Error);
        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        NginxRequest[] seconds = [.. log.Where(r => r.Uri.StartsWith("/second/", StringComparison.Ordinal))];
        Assert.Equal(6, seconds.Length);
        Assert.All(seconds, r => Assert.Equal(200, r.Status));

        // Its first request came once the killed process's slots ran out (2 s from its last renewal), not never.
        double firstArrival = seconds.Min(r => r.StartMs);
        Assert.True(firstArrival <= killed.ToUnixTimeMilliseconds() + 2_000 + 15_000, "the slots did not come back");
        Assert.DoesNotContain(log, r => r.Status == 429);
    }

    [Fact]
    public async Task With_stateDown_a_share_the_lane_runs_on_at_that_share_while_Redis_is_down()
    {
        using NginxServer nginx = await StartNginxAsync();
        string config = Write("down.yaml", $"""
            state: {_redis.Address}
            lanes:
              nginx:
                baseUrl: {nginx.BaseUri}
                rps: {Rate}
                burst: {Burst}
                concurrency: 4
                retries: 0
                stateDown: 50%
            """);
        string input = Write("down.jsonl", string.Concat(Enumerable.Range(0, 120).Select(i => $$"""{"id":{{i}},"url":"{{nginx.BaseUri}}item/{{i}}"}""" + "\n")));
        using PacerProcess run = PacerProcess.Start(PacerProcess.Input.Empty, "run", input, "--config", config, "--progress", "none", "--out", _dir.File("down.out.jsonl"));

        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= 40, "40 requests to arrive", TimeSpan.FromMinutes(1));
        await _redis.StopAsync();
        double down = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int before = (await nginx.ReadLogAsync()).Count;

        // Redis is down: the lane runs on alone, at half the limit.
        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= before + 25, "25 more requests while Redis is down", TimeSpan.FromMinutes(1));
        double up = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _redis.StartAsync();
        int exit = await run.ExitCodeAsync().WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, run.Error);
        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.Equal(120, log.Count);
        Assert.All(log, r => Assert.Equal(200, r.Status));

        // While Redis was down, from 100 ms after (starts reserved before, up to 100 ms ahead, may
        // still be used), no second holds more than half the rate and half the burst: 10 + 2.
        double[] alone = [.. log.Select(r => r.StartMs).Where(t => t >= down + 100 && t <= up).Order()];
        Assert.True(alone.Length >= 15, $"only {alone.Length} requests arrived while Redis was down");
        for (int i = 0; i < alone.Length; i++)
        {
            int inSecond = alone.Skip(i).TakeWhile(t => t < alone[i] + 1000).Count();
            Assert.True(inSecond <= (Rate / 2) + (Burst / 2), $"{inSecond} requests arrived in the second from {alone[i] - down:0} ms after Redis stopped");
        }
    }

    [Fact]
    public async Task Three_processes_share_one_token_rate_through_Redis_as_nginx_sees_it()
    {
        // 60,000 tokens a minute: 1,000 a second, a second's worth (1,000) at once. Each line states
        // its cost, and its URL says it, so nginx's log shows the tokens that arrived when.
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 1000, Burst: 1000, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(20)));
        string config = Write("tokens.yaml", $"""
            state: {_redis.Address}
            lanes:
              nginx:
                baseUrl: {nginx.BaseUri}
                tpm: 60000
                concurrency: 8
                retries: 0
            """);
        long[] costs = [20, 50, 10, 80];

        // This Redis has just started: for its first 1.05 s a lane with no state counts as spent (the
        // guard against a restart that lost the starts processes still hold), which would take the burst.
        await using (Pacer.Redis.RedisLaneState probe = await Pacer.Redis.RedisLaneState.ConnectAsync(_redis.Address))
        {
            await Eventually.HoldsAsync(async () => (await probe.ReserveStartsAsync("probe-" + Guid.NewGuid().ToString("N"), [new SharedRate(1, 1_000_000, 1)], 1, 0, default)).Starts is [0],
                "Redis's lane state to be past its first 1.05 s", TimeSpan.FromSeconds(30));
        }

        await RunAllAsync(config, [.. Enumerable.Range(0, 3).Select(p =>
            string.Concat(Enumerable.Range(0, 40).Select(i => $$"""{"id":{{i}},"cost":{{costs[i % 4]}},"url":"{{nginx.BaseUri}}p{{p}}/c{{costs[i % 4]}}/{{i}}"}""" + "\n")))], whileRunning: null);

        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.Equal(120, log.Count);
        Assert.All(log, r => Assert.Equal(200, r.Status));
        (double At, long Cost)[] arrivals = [.. log.Select(r => (r.StartMs, long.Parse(r.Uri.Split('/')[2][1..], CultureInfo.InvariantCulture))).OrderBy(a => a.StartMs)];

        // No second, from any arrival, holds more than a second's tokens and the burst (2,000), but
        // for one request's tokens (80) that loopback's delivery may bring a few ms early or late.
        // Each process alone would send its 1,600 at once: 4,800 in the first second.
        long most = arrivals.Max(a => arrivals.Where(o => o.At >= a.At && o.At < a.At + 1000).Sum(o => o.Cost));
        Assert.True(most <= 2000 + 80, $"{most} tokens arrived in one second");

        // Together they used the rate: 4,800 tokens, 1,000 at once and the rest at 1,000 a second, 3.8 s
        // from the first arrival to the last at least (less the few ms loopback's delivery may move them).
        double span = arrivals[^1].At - arrivals[0].At;
        Assert.True(span is >= 3_600 and <= 4_500, $"the 4,800 tokens took {span:0} ms (least 3,800)");
    }

    [Fact]
    public async Task Two_processes_share_one_quota_through_Redis_as_nginx_sees_it()
    {
        // 5 requests every 3 s, the windows on Redis's clock (every 3 s since the epoch); 10 lines
        // in all, 5 each. Each process alone would send its 5 at once: 10 in the first window.
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 1000, Burst: 1000, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(10)));
        string config = Write("quota.yaml", $"""
            state: {_redis.Address}
            lanes:
              nginx:
                baseUrl: {nginx.BaseUri}
                rps: 100
                quota: 5/3s
                retries: 0
            """);

        await RunAllAsync(config, [.. Enumerable.Range(0, 2).Select(p =>
            string.Concat(Enumerable.Range(0, 5).Select(i => $$"""{"id":{{i}},"url":"{{nginx.BaseUri}}p{{p}}/{{i}}"}""" + "\n")))], whileRunning: null);

        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= 10, "nginx's log to show the 10 requests", TimeSpan.FromSeconds(30));
        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.All(log, r => Assert.Equal(200, r.Status));

        // Before the end of the window the first arrived in, at most 5 (a start of the next window
        // cannot arrive before it begins); the others in the windows after.
        double first = log.Min(r => r.StartMs);
        double windowEnd = (Math.Floor(first / 3000) + 1) * 3000;
        int inFirst = log.Count(r => r.StartMs < windowEnd);
        Assert.True(inFirst <= 5, $"{inFirst} requests arrived in the first window of 3 s");
        Assert.Contains(log, r => r.StartMs >= windowEnd);
    }

    /// <summary>Four runs through <paramref name="state"/>, stopped and started again a third of the way in: every line ends with a 200 (each run exits 0, its retries off), and nginx refused none.</summary>
    private async Task AssertRestartMidRunKeepsTheLimitAsync(NginxServer nginx, string state, Func<Task> stop, Func<Task> start)
    {
        IReadOnlyList<NginxRequest> log = await RunFourAsync(nginx, state, whileRunning: async () =>
        {
            await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= 60, "a third of the requests to arrive", TimeSpan.FromMinutes(1));
            await stop();
            await start();
        });

        Assert.Equal(Processes * LinesEach, log.Count);
        Assert.All(log, r => Assert.Equal(200, r.Status));
        AssertNoSecondOverTheLimit(log);
    }

    private static Task<NginxServer> StartNginxAsync() =>
        NginxServer.StartAsync(new NginxLimits(RatePerSecond: Rate, Burst: Burst, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(20)));

    /// <summary>Runs four processes at once, each its own lines, through one lane whose limit lives in <paramref name="state"/>.</summary>
    private async Task<IReadOnlyList<NginxRequest>> RunFourAsync(NginxServer nginx, string state, Func<Task>? whileRunning)
    {
        string config = Write("pacer.yaml", $"""
            state: {state}
            lanes:
              nginx:
                baseUrl: {nginx.BaseUri}
                rps: {Rate}
                burst: {Burst}
                concurrency: 4
                retries: 0
            """);
        await RunAllAsync(config, [.. Enumerable.Range(0, Processes).Select(p =>
            string.Concat(Enumerable.Range(0, LinesEach).Select(i => $$"""{"id":{{i}},"url":"{{nginx.BaseUri}}p{{p}}/item/{{i}}"}""" + "\n")))], whileRunning);
        return await nginx.ReadLogAsync();
    }

    /// <summary>
    /// Runs one <c>pacer run</c> of each of <paramref name="inputs"/> at once with <paramref name="config"/>,
    /// does <paramref name="whileRunning"/> meanwhile, and waits for each to exit 0.
    /// </summary>
    private async Task RunAllAsync(string config, IReadOnlyList<string> inputs, Func<Task>? whileRunning)
    {
        string name = Path.GetFileNameWithoutExtension(config);
        var runs = new List<PacerProcess>();
        try
        {
            for (int p = 0; p < inputs.Count; p++)
            {
                string input = Write($"{name}.in{p}.jsonl", inputs[p]);
                runs.Add(PacerProcess.Start(PacerProcess.Input.Empty, "run", input, "--config", config, "--progress", "none", "--out", _dir.File($"{name}.out{p}.jsonl")));
            }

            if (whileRunning is not null)
            {
                await whileRunning();
            }

            foreach (PacerProcess run in runs)
            {
                int exit = await run.ExitCodeAsync().WaitAsync(TimeSpan.FromMinutes(3));
                Assert.True(exit == 0, $"a run exited with {exit}:\n{run.Error}");
            }
        }
        finally
        {
            foreach (PacerProcess run in runs)
            {
                run.Dispose();
            }
        }
    }

    private string Write(string name, string text)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertOneLimitKept(IReadOnlyList<NginxRequest> log)
    {
        Assert.Equal(Processes * LinesEach, log.Count);
        Assert.True(log.All(r => r.Status == 200), $"nginx refused {log.Count(r => r.Status != 200)} of {log.Count}");
        AssertNoSecondOverTheLimit(log);

        // Together at least 95% of the limit, while all four run (from the last one's first request
        // to the first one's last; each process starts its runtime at its own pace).
        var byProcess = log.GroupBy(r => r.Uri.Split('/')[1]).ToList();
        Assert.Equal(Processes, byProcess.Count);
        double from = byProcess.Max(p => p.Min(r => r.StartMs));
        double to = byProcess.Min(p => p.Max(r => r.StartMs));
        int together = log.Count(r => r.StartMs > from && r.StartMs <= to);
        double rate = together / ((to - from) / 1000);
        double origin = log.Min(r => r.StartMs);
        Assert.True(to - from >= 5000, $"the four ran together only {to - from:0} ms: " + string.Join("; ", byProcess.Select(p => $"{p.Key} {p.Min(r => r.StartMs) - origin:0}..{p.Max(r => r.StartMs) - origin:0}")));
        Assert.True(rate >= 0.95 * Rate, $"together {rate:0.00}/s against a limit of {Rate}/s ({together} requests in {to - from:0} ms)");
    }

    /// <summary>No second, starting at any arrival, holds more than the rate and the burst, as nginx saw them arrive.</summary>
    internal static void AssertNoSecondOverTheLimit(IReadOnlyList<NginxRequest> log)
    {
        double[] starts = [.. log.Select(r => r.StartMs).Order()];
        for (int i = 0; i < starts.Length; i++)
        {
            int inSecond = starts.Skip(i).TakeWhile(s => s < starts[i] + 1000).Count();
            Assert.True(inSecond <= Rate + Burst, $"{inSecond} requests arrived in the second from {starts[i]:0} ms");
        }
    }
}
