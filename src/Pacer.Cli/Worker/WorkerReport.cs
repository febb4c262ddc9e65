using System.Globalization;
using Pacer.Cli.Run;

namespace Pacer.Cli.Worker;

/// <summary>
/// What <c>pacer worker</c> says on standard error while it runs: a line when the count of jobs
/// done has changed (at most every <see cref="Every"/>), with the 429 answers each lane met when
/// there were any, and the store's failures, once per <see cref="Every"/> while they last.
/// </summary>
internal sealed class WorkerReport(TextWriter error, TimeProvider time, IReadOnlyDictionary<string, LaneTally> tallies)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private long _succeeded;
    private long _failed;
    private long _cancelled;
    private long _reported = -1;
    private long _lastProblem = long.MinValue;
    private int _problems;

    public long Done => Interlocked.Read(ref _succeeded) + Interlocked.Read(ref _failed) + Interlocked.Read(ref _cancelled);

    public void Ended(StoredJobState state)
    {
        switch (state)
        {
            case StoredJobState.Succeeded:
                Interlocked.Increment(ref _succeeded);
                break;
            case StoredJobState.Failed:
                Interlocked.Increment(ref _failed);
                break;
            default:
                Interlocked.Increment(ref _cancelled);
                break;
        }
    }

    /// <summary>Told each failure of the store; says the first, and then one line per <see cref="Every"/> with how many there were.</summary>
    public void StoreFailed(Exception e)
    {
        lock (_lock)
        {
            _problems++;
            long now = time.GetTimestamp();
            if (_lastProblem != long.MinValue && time.GetElapsedTime(_lastProblem, now) < Every)
            {
                return;
            }

            _lastProblem = now;
            string count = _problems == 1 ? "" : $" ({_problems} failures so far)";
            error.WriteLine($"pacer worker: the job store failed: {e.Message.ReplaceLineEndings(" ")}{count}; jobs in flight go on, and claiming resumes when it answers.");
        }
    }

    /// <summary>Writes the counts when they changed since the last line.</summary>
    public void Tick(int inFlight)
    {
        long done = Done;
        lock (_lock)
        {
            if (done == _reported)
            {
                return;
            }

            _reported = done;
        }

        error.WriteLine(Summary(inFlight));
    }

    public string Summary(int inFlight)
    {
        // Every 429 answer, retries included, as pacer run's summary counts them.
        string refused = string.Join(", ", tallies.Where(t => t.Value.TooManyRequests > 0).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TooManyRequests:N0}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"pacer worker: {Done:N0} done ({Interlocked.Read(ref _succeeded):N0} succeeded, {Interlocked.Read(ref _failed):N0} failed, {Interlocked.Read(ref _cancelled):N0} cancelled); {inFlight:N0} in flight{(refused.Length == 0 ? "" : "; 429 answers: " + refused)}.");
    }
}
