using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pacer.Cli.Tests.Nginx;
using Pacer.Postgres.Tests;

namespace Pacer.Cli.Tests.ScaleOut;

/// <summary>
/// <c>pacer serve --store</c>: servers and <c>pacer worker</c>s on one real PostgreSQL, sending to
/// a real nginx. Judged from nginx's access log and from what any server on the database answers,
/// whichever server the run was submitted to.
/// </summary>
[Collection(nameof(NginxServers))]
public sealed class ServeStoreTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private readonly PostgresServer _postgres = new();
    private readonly TempDir _dir = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_servers_on_one_database_serve_each_others_runs_and_every_job_reaches_nginx_once_with_a_200()
    {
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 500, Burst: 500, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(100)));
        string database = _postgres.NewDatabase();
        string config = Config(nginx, "rps: 40", "concurrency: 4");
        await using Served a = await Served.StartAsync(database, config);
        await using Served b = await Served.StartAsync(database, config);

        string first = await a.SubmitAsync(Lines(nginx, "a", 30));
        string second = await b.SubmitAsync(Lines(nginx, "b", 30));

        // Each server shows both runs, and each run ends, whichever server sent its jobs.
        foreach (Served server in (Served[])[a, b])
        {
            foreach (string run in (string[])[first, second])
            {
                await Eventually.HoldsAsync(async () => await server.StatusAsync(run) == "completed", $"run {run} to complete on {server.Name}", Deadline);
            }

            string list = await server.Http.GetStringAsync("/api/runs");
            Assert.Contains(first, list, StringComparison.Ordinal);
            Assert.Contains(second, list, StringComparison.Ordinal);
        }

        // The results of a's run, read from b, in input order, each with nginx's 200.
        IReadOnlyList<JsonElement> results = await b.ResultsAsync(first);
        Assert.Equal(30, results.Count);
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal($"a-{i}", results[i].GetProperty("id").GetString());
            Assert.Equal(i, results[i].GetProperty("index").GetInt64());
            Assert.Equal(200, results[i].GetProperty("status").GetInt32());
        }

        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.Equal(60, log.Count);
        Assert.Equal(60, log.Select(r => r.Uri).Distinct().Count());
        Assert.All(log, r => Assert.Equal(200, r.Status));
        Assert.Contains(" as serve-", a.Process.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_left_by_a_stopped_server_is_ended_by_a_worker_and_shown_whole_by_the_next_server()
    {
        const int Jobs = 20;
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 500, Burst: 500, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(50)));
        string database = _postgres.NewDatabase();
        string config = Config(nginx, "rps: 4", "concurrency: 2");
        string run;
        int sentByTheServer;
        await using (Served a = await Served.StartAsync(database, config))
        {
            // A run before it: the run's jobs do not start at the store's first place.
            string before = await a.SubmitAsync(Lines(nginx, "before", 3));
            await Eventually.HoldsAsync(async () => await a.StatusAsync(before) == "completed", "the first run to end", Deadline);
            run = await a.SubmitAsync(Lines(nginx, "q", Jobs));
            // Its results come in input order while it runs: its first line was not sent last.
            await Eventually.HoldsAsync(async () => (await a.ResultsAsync(run)).Count >= 4, "its first results", Deadline);
            await a.StopAsync();
            sentByTheServer = (await nginx.ReadLogAsync()).Count;
        }

        // The server gave back what it held; a worker, with no HTTP API, takes the rest.
        using (PacerProcess worker = PacerProcess.Start(PacerProcess.Input.Empty, ["worker", "--store", database, "--config", config]))
        {
            await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Select(r => r.Uri).Distinct().Count() == 3 + Jobs, "every job to reach nginx", Deadline);
            await Eventually.HoldsAsync(() => worker.Error.Contains("claiming jobs from", StringComparison.Ordinal), "the worker's start line", Deadline);
            await worker.SignalAsync("TERM");
            Assert.Equal(0, await worker.ExitCodeAsync());
        }

        Assert.True(sentByTheServer < 3 + Jobs, $"the server sent all {sentByTheServer} before it stopped: the worker had nothing to do");
        await using Served next = await Served.StartAsync(database, config);
        Assert.Equal("completed", await next.StatusAsync(run));
        IReadOnlyList<JsonElement> results = await next.ResultsAsync(run);
        Assert.Equal(Jobs, results.Count);
        for (int i = 0; i < Jobs; i++)
        {
            Assert.Equal($"q-{i}", results[i].GetProperty("id").GetString());
            Assert.Equal(i, results[i].GetProperty("index").GetInt64()); // Its place in the run, whoever sent it: the server or the worker.
            Assert.Equal(200, results[i].GetProperty("status").GetInt32());
        }

        Assert.All(await nginx.ReadLogAsync(), r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task A_run_cancelled_through_one_server_stops_being_sent_by_the_server_that_holds_its_jobs()
    {
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 500, Burst: 500, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(20)));
        string database = _postgres.NewDatabase();
        string config = Config(nginx, "rps: 2", "burst: 1", "concurrency: 2");
        await using Served a = await Served.StartAsync(database, config);
        await using Served b = await Served.StartAsync(database, config);
        string run = await a.SubmitAsync(Lines(nginx, "c", 20));
        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= 2, "the run to be under way", Deadline);

        // Cancelled through b; a holds the jobs, and learns it from the store.
        using (HttpResponseMessage cancelled = await b.Http.PostAsync($"/api/runs/{run}/cancel", null))
        {
            Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        }

        int atCancel = (await nginx.ReadLogAsync()).Count;
        await Eventually.HoldsAsync(async () => await a.StatusAsync(run) == "cancelled", "the server holding the jobs to see the run cancelled", Deadline);
        await a.StopAsync();

        // What reached nginx after the cancel is at most what a had started, and a second's worth of its lane.
        int sent = (await nginx.ReadLogAsync()).Count;
        Assert.InRange(sent - atCancel, 0, 2 + 2);
        Assert.Equal("cancelled", await b.StatusAsync(run));
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_run_loses_no_job_and_the_server_goes_on()
    {
        const int Jobs = 40;
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 500, Burst: 500, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(100)));
        string database = _postgres.NewDatabase();
        await using Served server = await Served.StartAsync(database, Config(nginx, "rps: 8", "concurrency: 4"));
        string run = await server.SubmitAsync(Lines(nginx, "q", Jobs));

        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= 10, "a quarter of the jobs to be sent", Deadline);
        await _postgres.StopAsync();
        await _postgres.StartAsync();

        await Eventually.HoldsAsync(async () => await server.StatusAsync(run) == "completed", "the run to complete", Deadline);
        IReadOnlyList<JsonElement> results = await server.ResultsAsync(run);
        Assert.Equal(Jobs, results.Count);
        Assert.All(results, r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.All(log, r => Assert.Equal(200, r.Status));
        Assert.Equal(Jobs, log.Select(r => r.Uri).Distinct().Count());
        Assert.False(server.Process.HasExited, server.Process.Error);
    }

    [Fact]
    public async Task Two_stores_at_once_and_an_unreachable_one_are_named_and_nothing_is_served()
    {
        int closed = Pacer.TestSupport.ServerProcess.FreePort();
        string config = Write("pacer.yaml", "lanes:\n  api:\n    baseUrl: http://127.0.0.1:9/\n    rps: 5\n");

        CliRun both = await CliRun.InvokeAsync(["serve", "--config", config, "--db", _dir.File("pacer.db"), "--store", "Host=127.0.0.1;Database=pacer"]);
        CliRun unreachable = await CliRun.InvokeAsync(["serve", "--config", config, "--urls", "http://127.0.0.1:0", "--store", $"postgres://pacer:hunter2@127.0.0.1:{closed}/pacer?timeout=2"]);
        CliRun notPostgres = await CliRun.InvokeAsync(["serve", "--config", config, "--store", "redis://localhost"]);

        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--db and --store both name where runs live: give one", both.Error);
        Assert.False(File.Exists(_dir.File("pacer.db")));
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains($"--store: cannot use the store at postgres://***@127.0.0.1:{closed}/pacer?timeout=***:", unreachable.Error);
        Assert.DoesNotContain("hunter2", unreachable.Error);
        Assert.Equal(2, notPostgres.ExitCode);
        Assert.Contains("--store 'redis://localhost' is neither a postgres:// URL nor a connection string", notPostgres.Error);
    }

    private string Config(NginxServer nginx, params string[] settings) =>
        Write("pacer.yaml", $"lanes:\n  nginx:\n    baseUrl: {nginx.BaseUri}\n    retries: 0\n" + string.Concat(settings.Select(s => $"    {s}\n")));

    private static string Lines(NginxServer nginx, string prefix, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $$"""{"id":"{{prefix}}-{{i}}","url":"{{nginx.BaseUri}}{{prefix}}/{{i}}"}{{"\n"}}""")));

    private string Write(string name, string text)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary><c>pacer serve --store</c> on a port of its own, stopped by its pid.</summary>
    private sealed class Served : IAsyncDisposable
    {
        private Served(PacerProcess process, int port)
        {
            Process = process;
            Name = $"the server on port {port}";
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(1) };
        }

        public PacerProcess Process { get; }

        public string Name { get; }

        public HttpClient Http { get; }

        public static async Task<Served> StartAsync(string database, string config)
        {
            int port = Pacer.TestSupport.ServerProcess.FreePort();
            var served = new Served(PacerProcess.Start(PacerProcess.Input.Empty, ["serve", "--store", database, "--config", config, "--urls", $"http://127.0.0.1:{port}"]), port);
            await Eventually.HoldsAsync(() => served.Process.Error.Contains("pacer serve: listening on", StringComparison.Ordinal) || served.Process.HasExited, "the server to listen", TimeSpan.FromMinutes(1));
            Assert.False(served.Process.HasExited, served.Process.Error);
            return served;
        }

        public async Task<string> SubmitAsync(string lines)
        {
            using var body = new StringContent(lines, Encoding.UTF8, "application/x-ndjson");
            using HttpResponseMessage answer = await Http.PostAsync("/api/runs", body);
            string text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, text);
            return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        }

        public async Task<string?> StatusAsync(string run) =>
            (await Http.GetFromJsonAsync<JsonElement>($"/api/runs/{run}")).GetProperty("status").GetString();

        public async Task<IReadOnlyList<JsonElement>> ResultsAsync(string run) =>
            [.. (await Http.GetStringAsync($"/api/runs/{run}/results")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

        public async Task StopAsync()
        {
            await Process.SignalAsync("TERM");
            Assert.Equal(0, await Process.ExitCodeAsync());
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                await StopAsync();
            }

            Http.Dispose();
            Process.Dispose();
        }
    }
}
