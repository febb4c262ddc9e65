namespace Pacer.Bench.Targets;

/// <summary>
/// <see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>
/// with MaxDegreeOfParallelism. It takes its jobs as a collection rather than one by one, so the
/// jobs are kept in a caller-held list (it has no queue of its own) and run when adding ends.
/// No rate limit.
/// </summary>
internal sealed class ParallelTarget : IBenchTarget
{
    private readonly List<Func<ValueTask>> _jobs = [];
    private readonly ParallelOptions _options;

    public ParallelTarget(Limits limits)
    {
        if (limits.StartsPerSecond is not null)
        {
            throw new NotSupportedException("Parallel.ForEachAsync has no rate limit.");
        }

        _options = new ParallelOptions { MaxDegreeOfParallelism = limits.Concurrency };
    }

    public string Lib => "parallel";

    public string Library => "Parallel.ForEachAsync (BCL)";

    public string Version => Environment.Version.ToString();

    public void Add(Func<ValueTask> work) => _jobs.Add(work);

    public Task WhenAllAsync() => Parallel.ForEachAsync(_jobs, _options, static (work, _) => work());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
