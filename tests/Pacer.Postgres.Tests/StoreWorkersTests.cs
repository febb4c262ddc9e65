using System.Collections.Concurrent;

namespace Pacer.Postgres.Tests;

/// <summary>
/// Workers as separate processes would be: each with an engine and a store (and pool) of its own,
/// all on one PostgreSQL database. Every stored job runs once, on one of them.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class StoreWorkersTests(PostgresServer server)
{
    [Fact]
    public async Task ThreeWorkersOnOneDatabase_RunEveryJobOnce_AndShareTheWork()
    {
        string database = server.NewDatabase();
        using (var setup = new PostgresJobStore(database))
        {
            await setup.AddAsync([.. Enumerable.Range(0, 300).Select(i => new JobSubmission(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "api", BatchId: "b"))]);
        }

        var runs = new ConcurrentDictionary<string, int>();
        var byWorker = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var engines = new List<PacerEngine>();
        var stores = new List<PostgresJobStore>();
        var running = new List<Task>();
        for (int w = 0; w < 3; w++)
        {
            string worker = "w" + w;
            var engine = new PacerEngine();
            engine.AddLane("api", new LaneOptions { MaxConcurrency = 4 });
            var store = new PostgresJobStore(database);
            engines.Add(engine);
            stores.Add(store);
            var run = new StoreWorker(engine, store, async (job, context) =>
            {
                runs.AddOrUpdate(job.Submission.Payload, 1, (_, n) => n + 1);
                byWorker.AddOrUpdate(worker, 1, (_, n) => n + 1);
                await Task.Yield();
                return "done " + job.Submission.Payload;
            }, new StoreWorkerOptions { WorkerId = worker, MaxInFlight = 8, IdleDelay = TimeSpan.FromMilliseconds(20) });
            running.Add(run.RunAsync(stop.Token));
        }

        try
        {
            using var check = new PostgresJobStore(database);
            await Eventually.HoldsAsync(async () => (await check.ListBatchAsync("b")).All(j => j.IsFinal), "every job final", TimeSpan.FromSeconds(60));
            IReadOnlyList<StoredJob> jobs = await check.ListBatchAsync("b");
            Assert.All(jobs, j => Assert.Equal((StoredJobState.Succeeded, 1, "done " + j.Submission.Payload), (j.State, j.Attempts, j.Result)));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30));
            foreach (PacerEngine engine in engines)
            {
                await engine.DisposeAsync();
            }

            stores.ForEach(s => s.Dispose());
        }

        Assert.Equal(300, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
        Assert.True(byWorker.Count > 1, $"one worker ran every job: {string.Join(", ", byWorker)}");
    }
}
