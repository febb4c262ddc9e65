using System.Globalization;
using System.Text.Json;
using Pacer.Cli.Tests.Nginx;
using Pacer.Postgres;
using Pacer.Postgres.Tests;
using Pacer.Redis.Tests;

namespace Pacer.Cli.Tests.ScaleOut;

/// <summary>
/// <c>pacer worker</c> processes on one real PostgreSQL job store, sending to a real nginx: judged
/// from the store's rows and from nginx's access log, never from the workers' own counts.
/// </summary>
[Collection(nameof(NginxServers))]
public sealed class WorkerTests : IAsyncLifetime, IDisposable
{
    private readonly PostgresServer _postgres = new();
    private readonly RedisServer _redis = new();
    private readonly TempDir _dir = new();

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await _redis.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_its_jobs_to_the_others_and_every_job_ends_once_with_a_200()
    {
        const int Jobs = 60;
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 200, Burst: 200, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(300)));
        (string database, string config) = await SetUpAsync(nginx, Jobs, "rps: 100", "concurrency: 4");
        using var workers = Workers.Start(3, w => ["--store", database, "--config", config, "--lease", "2s", "--max-in-flight", "6", "--id", $"w{w}"]);

        // The first worker holds jobs, some of them sending, when it is killed.
        await Eventually.HoldsAsync(async () => await HeldByAsync(database, "w0") >= 3 && (await nginx.ReadLogAsync()).Count >= 6, "w0 to hold jobs mid-run", TimeSpan.FromMinutes(1));
        int heldWhenKilled = await HeldByAsync(database, "w0");
        await workers[0].SignalAsync("KILL");

        await Eventually.HoldsAsync(async () => (await ListAsync(database)).All(j => j.IsFinal), "every job to end", TimeSpan.FromMinutes(2));
        await workers.StopAsync(from: 1);

        // The store: every job succeeded, once, with the 200 nginx gave it.
        IReadOnlyList<StoredJob> jobs = await ListAsync(database);
        Assert.Equal(Jobs, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((StoredJobState.Succeeded, 1), (j.State, j.Attempts)));
        foreach (StoredJob job in jobs)
        {
            using var result = JsonDocument.Parse(job.Result!);
            Assert.Equal(200, result.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(JsonDocument.Parse(job.Submission.Payload).RootElement.GetProperty("id").GetInt32(), result.RootElement.GetProperty("id").GetInt32());
        }

        // nginx: every job arrived and was answered 200; a job sent twice is one the killed worker held.
        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.All(log, r => Assert.Equal(200, r.Status));
        Assert.Equal(Jobs, log.Select(r => r.Uri).Distinct().Count());
        Assert.InRange(log.Count - Jobs, 0, heldWhenKilled);
        Assert.Contains("pacer worker w1: claiming jobs from", workers[1].Error);
        Assert.DoesNotContain("the job store failed", workers[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Four_workers_keep_one_lanes_limit_through_Redis_as_nginx_sees_it()
    {
        const int Jobs = 200;
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 20, Burst: 5, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(20)));
        (string database, string config) = await SetUpAsync(nginx, Jobs, "rps: 20", "burst: 5", "concurrency: 4", $"state: {_redis.Address}");
        using (var workers = Workers.Start(4, _ => ["--store", database, "--config", config, "--max-in-flight", "16"]))
        {
            await Eventually.HoldsAsync(async () => (await ListAsync(database)).All(j => j.IsFinal), "every job to end", TimeSpan.FromMinutes(2));
            await workers.StopAsync(from: 0);
        }

        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.Equal(Jobs, log.Count);
        Assert.True(log.All(r => r.Status == 200), $"nginx refused {log.Count(r => r.Status != 200)} of {log.Count}");
        SharedLimitTests.AssertNoSecondOverTheLimit(log);
        Assert.All(await ListAsync(database), j => Assert.Equal(StoredJobState.Succeeded, j.State));
    }

    [Fact]
    public async Task The_job_store_restarted_mid_run_loses_no_job_and_the_workers_go_on()
    {
        const int Jobs = 120;
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 200, Burst: 200, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(100)));
        (string database, string config) = await SetUpAsync(nginx, Jobs, "rps: 10", "concurrency: 4");
        using var workers = Workers.Start(2, w => ["--store", database, "--config", config, "--lease", "5s", "--max-in-flight", "8", "--id", $"w{w}"]);

        await Eventually.HoldsAsync(async () => (await nginx.ReadLogAsync()).Count >= 30, "a quarter of the jobs to be sent", TimeSpan.FromMinutes(1));
        await _postgres.StopAsync();
        await _postgres.StartAsync();

        await Eventually.HoldsAsync(async () => (await ListAsync(database)).All(j => j.IsFinal), "every job to end", TimeSpan.FromMinutes(2));
        await workers.StopAsync(from: 0);

        // Every job succeeded with a 200 from nginx, and each was sent at least once.
        IReadOnlyList<StoredJob> jobs = await ListAsync(database);
        Assert.Equal(Jobs, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(StoredJobState.Succeeded, j.State));
        IReadOnlyList<NginxRequest> log = await nginx.ReadLogAsync();
        Assert.All(log, r => Assert.Equal(200, r.Status));
        Assert.Equal(Jobs, log.Select(r => r.Uri).Distinct().Count());

        // The workers said the store failed, and went on.
        Assert.Contains(workers.All, w => w.Error.Contains("pacer worker: the job store failed:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Jobs_that_are_no_request_go_under_no_lane_or_meet_a_closed_port_fail_with_their_error_and_the_worker_goes_on()
    {
        string database = _postgres.NewDatabase();
        await using (var store = new PostgresJobStore(database))
        {
            await store.AddAsync(
            [
                new JobSubmission("not json at all", "api", BatchId: "b"),
                new JobSubmission("""{"url":"http://elsewhere.example/x"}""", "api", BatchId: "b"),
                new JobSubmission("""{"url":"http://127.0.0.1:9/x"}""", "api", BatchId: "b"),
            ]);
        }

        string config = Write("pacer.yaml", "lanes:\n  api:\n    baseUrl: http://127.0.0.1:9/\n    rps: 5\n    retries: 0\n");
        using var workers = Workers.Start(1, _ => ["--store", database, "--config", config]);
        await Eventually.HoldsAsync(async () => (await ListAsync(database)).All(j => j.IsFinal), "every job to end", TimeSpan.FromMinutes(1));
        await workers.StopAsync(from: 0);

        IReadOnlyList<StoredJob> jobs = await ListAsync(database);
        Assert.All(jobs, j => Assert.Equal(StoredJobState.Failed, j.State));
        Assert.Contains("not valid JSON", jobs[0].Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("no lane's baseUrl is a prefix of", jobs[1].Error, StringComparison.Ordinal);
        Assert.Contains("line 3: Connection refused", jobs[2].Error, StringComparison.Ordinal);
        Assert.All(jobs, j => Assert.Equal(j.Error, JsonDocument.Parse(j.Result!).RootElement.GetProperty("error").GetString()));
        Assert.Contains("3 done (0 succeeded, 3 failed, 0 cancelled)", workers[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_told_too_much_says_how_many_429s_each_lane_met_as_nginx_counts_them()
    {
        const int Jobs = 8;
        using NginxServer nginx = await NginxServer.StartAsync(new NginxLimits(RatePerSecond: 1, Burst: 1, Concurrency: 100, Latency: TimeSpan.FromMilliseconds(10)));
        (string database, string config) = await SetUpAsync(nginx, Jobs, "rps: 50", "concurrency: 8");
        using var workers = Workers.Start(1, _ => ["--store", database, "--config", config]);
        await Eventually.HoldsAsync(async () => (await ListAsync(database)).All(j => j.IsFinal), "every job to end", TimeSpan.FromMinutes(1));
        await workers.StopAsync(from: 0);

        int refused = (await nginx.ReadLogAsync()).Count(r => r.Status == 429);
        Assert.True(refused > 0, "nginx refused none: the test's limit is not binding");
        Assert.Equal(refused, (await ListAsync(database)).Count(j => j.State == StoredJobState.Failed));
        Assert.Contains($"; 429 answers: nginx {refused}.", workers[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_started_under_the_id_of_one_that_runs_is_refused_and_the_id_is_free_once_that_one_stops()
    {
        string database = _postgres.NewDatabase();
        string config = Write("pacer.yaml", "lanes:\n  api:\n    baseUrl: http://127.0.0.1:9/\n    rps: 5\n");
        using var first = Workers.Start(1, _ => ["--store", database, "--config", config, "--id", "w1"]);
        await Eventually.HoldsAsync(() => first[0].Error.Contains("claiming jobs from", StringComparison.Ordinal), "the first worker to start", TimeSpan.FromMinutes(1));

        CliRun twin = await CliRun.InvokeAsync(["worker", "--store", database, "--config", config, "--id", "w1"]);
        await first.StopAsync(from: 0);
        using var after = Workers.Start(1, _ => ["--store", database, "--config", config, "--id", "w1"]);
        await Eventually.HoldsAsync(() => after[0].Error.Contains("claiming jobs from", StringComparison.Ordinal) || after[0].HasExited, "the next worker to start", TimeSpan.FromMinutes(1));
        await after.StopAsync(from: 0);

        Assert.Equal(2, twin.ExitCode);
        Assert.Contains("--id 'w1': another pacer worker on", twin.Error);
        Assert.DoesNotContain("claiming jobs from", twin.Error);
    }

    [Theory]
    [InlineData("", "--store must name a PostgreSQL database")]
    [InlineData("redis://localhost", "--store 'redis://localhost' is neither a postgres:// URL nor a connection string")]
    [InlineData("postgres://pacer:hunter2@db.internal", "--store 'postgres://***@db.internal' must name a database after the host")]
    [InlineData("Host=db;Bogus Key=1", "--store is not a connection string Npgsql takes")]
    public async Task A_store_that_is_not_a_PostgreSQL_database_is_refused_by_name(string store, string error)
    {
        string config = Write("pacer.yaml", "lanes:\n  api:\n    baseUrl: http://127.0.0.1:9/\n    rps: 5\n");

        CliRun run = await CliRun.InvokeAsync(["worker", "--store", store, "--config", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(error, run.Error);
        Assert.DoesNotContain("hunter2", run.Error);
    }

    [Fact]
    public async Task An_unreachable_store_and_a_missing_config_are_named()
    {
        int closed = Pacer.TestSupport.ServerProcess.FreePort();
        string config = Write("pacer.yaml", "lanes:\n  api:\n    baseUrl: http://127.0.0.1:9/\n    rps: 5\n");

        CliRun unreachable = await CliRun.InvokeAsync(["worker", "--store", $"postgres://pacer:hunter2@127.0.0.1:{closed}/pacer?timeout=2", "--config", config]);
        CliRun noConfig = await CliRun.InvokeAsync(["worker", "--store", "Host=127.0.0.1;Database=pacer", "--config", _dir.File("missing.yaml")]);
        CliRun noStore = await CliRun.InvokeAsync(["worker", "--config", config]);

        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains($"--store: cannot use the job store at postgres://***@127.0.0.1:{closed}/pacer?timeout=***:", unreachable.Error);
        Assert.DoesNotContain("hunter2", unreachable.Error);
        Assert.Equal(2, noConfig.ExitCode);
        Assert.Contains("missing.yaml' does not exist", noConfig.Error);
        Assert.Equal(2, noStore.ExitCode);
        Assert.Contains("--store", noStore.Error);
    }

    /// <summary>A new database holding <paramref name="jobs"/> jobs to <paramref name="nginx"/>, and a pacer.yaml with one lane to it, with <paramref name="settings"/>.</summary>
    private async Task<(string Database, string Config)> SetUpAsync(NginxServer nginx, int jobs, params string[] settings)
    {
        string database = _postgres.NewDatabase();
        await AddJobsAsync(database, nginx, jobs);
        string config = Write("pacer.yaml", $"lanes:\n  nginx:\n    baseUrl: {nginx.BaseUri}\n    retries: 0\n" + string.Concat(settings.Select(s => $"    {s}\n")));
        return (database, config);
    }

    private static async Task AddJobsAsync(string database, NginxServer nginx, int count)
    {
        await using var store = new PostgresJobStore(database);
        await store.AddAsync([.. Enumerable.Range(0, count).Select(i => new JobSubmission(
            string.Create(CultureInfo.InvariantCulture, $$"""{"id":{{i}},"url":"{{nginx.BaseUri}}job/{{i}}"}"""), "nginx", BatchId: "b"))]);
    }

    private static async Task<IReadOnlyList<StoredJob>> ListAsync(string database)
    {
        await using var store = new PostgresJobStore(database);
        return await store.ListBatchAsync("b");
    }

    private static async Task<int> HeldByAsync(string database, string worker) =>
        (await ListAsync(database)).Count(j => j.State == StoredJobState.Claimed && j.LeaseOwner == worker);

    /// <summary><c>pacer worker</c> processes, disposed together.</summary>
    private sealed class Workers : IDisposable
    {
        private readonly List<PacerProcess> _processes;

        private Workers(List<PacerProcess> processes) => _processes = processes;

        public IReadOnlyList<PacerProcess> All => _processes;

        public PacerProcess this[int index] => _processes[index];

        public static Workers Start(int count, Func<int, string[]> arguments) =>
            new([.. Enumerable.Range(0, count).Select(w => PacerProcess.Start(PacerProcess.Input.Empty, ["worker", .. arguments(w)]))]);

        /// <summary>Stops the workers from <paramref name="from"/> on with SIGTERM; each exits 0.</summary>
        public async Task StopAsync(int from)
        {
            foreach (PacerProcess worker in _processes.Skip(from))
            {
                await worker.SignalAsync("TERM");
                int exit = await worker.ExitCodeAsync().WaitAsync(TimeSpan.FromMinutes(1));
                Assert.True(exit == 0, $"a worker exited with {exit}:\n{worker.Error}");
            }
        }

        public void Dispose() => _processes.ForEach(p => p.Dispose());
    }

    private string Write(string name, string text)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }
}
