using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Pacer.Postgres;

namespace Pacer.Bench.Sharing;

/// <summary>
/// How many jobs a second go through the PostgreSQL job store:
/// <c>Pacer.Bench store-throughput --postgres CONNECTION [--jobs 100000] [--workers 4]</c> stores that
/// many no-op jobs, then runs them with that many <see cref="StoreWorker"/>s (each with a store and
/// connection pool of its own, as separate processes would have), and then, on the same jobs stored
/// again, with as many bare claim-and-complete loops (one <c>UPDATE … FOR UPDATE SKIP LOCKED … RETURNING</c>
/// of up to 256 jobs, then one <c>UPDATE</c> marking them done). Prints one JSON line: jobs/s of each,
/// and their ratio.
/// </summary>
internal static class StoreThroughput
{
    private const int Batch = 256;

    public static async Task<int> RunAsync(string[] args)
    {
        string? connection = Value(args, "--postgres");
        int jobs = int.Parse(Value(args, "--jobs") ?? "100000", CultureInfo.InvariantCulture);
        int workers = int.Parse(Value(args, "--workers") ?? "4", CultureInfo.InvariantCulture);
        if (connection is null || jobs < 1 || workers < 1)
        {
            await Console.Error.WriteLineAsync("store-throughput: give --postgres CONNECTION [--jobs N] [--workers N]").ConfigureAwait(false);
            return 2;
        }

        using (new PostgresJobStore(connection))
        {
            // Made or updated the tables.
        }

        await using NpgsqlDataSource data = NpgsqlDataSource.Create(connection);
        await FillAsync(data, jobs).ConfigureAwait(false);
        double pacer = await RunWorkersAsync(connection, data, jobs, workers).ConfigureAwait(false);
        await FillAsync(data, jobs).ConfigureAwait(false);
        double bare = await RunBareLoopsAsync(data, jobs, workers).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""{"bench":"store-throughput","jobs":{{jobs}},"workers":{{workers}},"pacer_jobs_per_s":{{pacer:0}},"bare_skip_locked_jobs_per_s":{{bare:0}},"ratio":{{pacer / bare:0.00}},"cores":{{Environment.ProcessorCount}}}"""));
        return 0;
    }

    /// <summary>Empties the jobs table and stores <paramref name="jobs"/> pending no-op jobs in one statement.</summary>
    private static async Task FillAsync(NpgsqlDataSource data, int jobs)
    {
        await using NpgsqlCommand fill = data.CreateCommand($"""
            TRUNCATE pacer_jobs;
            INSERT INTO pacer_jobs (payload, lane, priority, cost, batch_id, state, created_at)
            SELECT 'noop', 'default', 0, 1, 'bench', 0, {DateTimeOffset.UtcNow.UtcTicks} FROM generate_series(1, {jobs});
            """);
        await fill.ExecuteNonQueryAsync().ConfigureAwait(false);
        await using NpgsqlCommand vacuum = data.CreateCommand("VACUUM ANALYZE pacer_jobs;");
        await vacuum.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<long> RemainingAsync(NpgsqlDataSource data)
    {
        await using NpgsqlCommand count = data.CreateCommand("SELECT count(*) FROM pacer_jobs WHERE state IN (0, 1);");
        return (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    private static async Task<double> RunWorkersAsync(string connection, NpgsqlDataSource data, int jobs, int workers)
    {
        var stores = new List<PostgresJobStore>();
        var running = new List<Task>();
        using var stop = new CancellationTokenSource();
        int ran = 0;
        var allRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        for (int w = 0; w < workers; w++)
        {
            var store = new PostgresJobStore(connection);
            stores.Add(store);
            var worker = new StoreWorker(store, (_, _) =>
            {
                if (Interlocked.Increment(ref ran) == jobs)
                {
                    allRan.TrySetResult();
                }

                return ValueTask.FromResult(new JobRunOutcome(StoredJobState.Succeeded, 1, null, null));
            }, new StoreWorkerOptions { WorkerId = "bench-" + w.ToString(CultureInfo.InvariantCulture), MaxInFlight = Batch * 2 });
            running.Add(Task.Run(() => worker.RunAsync(stop.Token)));
        }

        // Counted in the store only once every job has run, so that counting takes nothing from the workers.
        await allRan.Task.ConfigureAwait(false);
        while (await RemainingAsync(data).ConfigureAwait(false) > 0)
        {
            await Task.Delay(2).ConfigureAwait(false);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(false);
        foreach (PostgresJobStore store in stores)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }

        return jobs / seconds;
    }

    private static async Task<double> RunBareLoopsAsync(NpgsqlDataSource data, int jobs, int loops)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, loops).Select(l => Task.Run(() => BareLoopAsync(data, "bare-" + l.ToString(CultureInfo.InvariantCulture))))).ConfigureAwait(false);
        return jobs / clock.Elapsed.TotalSeconds;
    }

    private static async Task BareLoopAsync(NpgsqlDataSource data, string worker)
    {
        while (true)
        {
            var claimed = new List<long>(Batch);
            await using (NpgsqlConnection connection = await data.OpenConnectionAsync().ConfigureAwait(false))
            {
                await using var claim = new NpgsqlCommand($"""
                    UPDATE pacer_jobs SET state = 1, lease_owner = $1, lease_expires = $2
                    WHERE seq IN (SELECT seq FROM pacer_jobs WHERE state = 0 ORDER BY priority DESC, seq LIMIT {Batch} FOR UPDATE SKIP LOCKED)
                    RETURNING seq;
                    """, connection);
                claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = worker });
                claim.Parameters.Add(new NpgsqlParameter<long> { TypedValue = DateTimeOffset.UtcNow.AddSeconds(30).UtcTicks });
                await using (NpgsqlDataReader row = await claim.ExecuteReaderAsync().ConfigureAwait(false))
                {
                    while (await row.ReadAsync().ConfigureAwait(false))
                    {
                        claimed.Add(row.GetInt64(0));
                    }
                }

                if (claimed.Count == 0)
                {
                    return;
                }

                await using var complete = new NpgsqlCommand(
                    "UPDATE pacer_jobs SET state = 2, attempts = attempts + 1, lease_owner = NULL, lease_expires = NULL, completed_at = $2 WHERE seq = ANY($1) AND lease_owner = $3;", connection);
                complete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. claimed] });
                complete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = DateTimeOffset.UtcNow.UtcTicks });
                complete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = worker });
                await complete.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
    }

    private static string? Value(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
