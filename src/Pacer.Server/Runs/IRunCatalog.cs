using System.Globalization;

namespace Pacer.Server.Runs;

/// <summary>
/// Where the server keeps its runs, beside their jobs: a table in the SQLite file
/// (<see cref="SqliteRunCatalog"/>), or in a PostgreSQL that many servers and workers share
/// (<see cref="PostgresRunCatalog"/>). Each call is one short statement.
/// </summary>
internal interface IRunCatalog
{
    /// <summary>The first sequence of a run whose jobs are being stored: the row holds its id and key, and no job is claimed for it until it is known.</summary>
    const long Registering = -1;

    /// <summary>A new run id: 16 hex digits, random.</summary>
    static string NewId() => "r" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Adds a run before its jobs (with <see cref="RunRecord.FirstSequence"/> = <see cref="Registering"/>);
    /// when its idempotency key is taken, returns the run that holds it instead.
    /// </summary>
    RunRecord Add(RunRecord run, string? idempotencyKey);

    /// <summary>Records where a registering run's jobs start, and how many it has: the run is then served.</summary>
    void Registered(string id, long firstSequence, long jobs);

    /// <summary>Whether a run's jobs are being stored: it exists, and is not served yet.</summary>
    bool IsRegistering(string id);

    /// <summary>
    /// After a crash while a run's jobs were stored: a run whose jobs were committed is served
    /// (where they start is read from the store), and one whose jobs were not is removed.
    /// </summary>
    void RepairRegistering();

    /// <summary>The run that holds an idempotency key, or null.</summary>
    RunRecord? FindByKey(string idempotencyKey);

    /// <summary>The run, or null when there is none (or its jobs are still being stored).</summary>
    RunRecord? Get(string id);

    /// <summary>Runs, newest first: <paramref name="limit"/> of them after skipping <paramref name="offset"/>.</summary>
    IReadOnlyList<RunRecord> List(int offset, int limit);

    /// <summary>Up to <paramref name="limit"/> runs that finished before <paramref name="before"/>, oldest first.</summary>
    IReadOnlyList<RunRecord> FinishedBefore(DateTimeOffset before, int limit);

    /// <summary>Marks a run started at <paramref name="at"/>, unless it had started.</summary>
    void MarkStarted(string id, DateTimeOffset at);

    /// <summary>Marks a run finished at <paramref name="at"/>, unless it had finished.</summary>
    void MarkFinished(string id, DateTimeOffset at);

    /// <summary>Marks a run cancelled and finished; false when it had finished already.</summary>
    bool MarkCancelled(string id, DateTimeOffset at);

    /// <summary>Removes a run's row; its jobs are removed by the caller.</summary>
    bool Delete(string id);
}
