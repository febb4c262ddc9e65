namespace Pacer;

/// <summary>Runs items in one processing mode after another until one does not fail as a whole.</summary>
internal sealed class ModeRunner<TItem, TResult>(PacerEngine engine, IReadOnlyList<TItem> items, ModeOptions<TItem, TResult> options)
{
    private readonly List<ModeFallback> _fallbacks = [];
    private int _jobsRun;
    private TimeSpan _jobTime;

    public async Task<ModeResult<TResult>> RunAsync(CancellationToken cancellationToken)
    {
        long start = engine.TimeProvider.GetTimestamp();
        ProcessingMode mode = options.Mode == ProcessingMode.Auto ? Choose() : options.Mode;
        while (true)
        {
            JobResult<TResult>[] results = await RunModeAsync(mode, cancellationToken).ConfigureAwait(false);
            ProcessingMode? next = Next(mode);
            bool failedAsWhole = results.Length > 0 && !results.Any(r => r.Succeeded) && !cancellationToken.IsCancellationRequested;
            if (!failedAsWhole || !options.Fallback || next is null)
            {
                TimeSpan average = _jobsRun == 0 ? TimeSpan.Zero : _jobTime / _jobsRun;
                var metrics = new ModeMetrics(mode, engine.TimeProvider.GetElapsedTime(start), _jobsRun, average);
                return new ModeResult<TResult>(results, mode, _fallbacks, metrics);
            }

            string reason = results.First(r => !r.Succeeded).Error?.Message ?? "every item failed";
            _fallbacks.Add(new ModeFallback(mode, next.Value, reason));
            mode = next.Value;
        }
    }

    /// <summary>One item, or a lane that runs one job at a time: sequential. A few items and a combine function: combined. Otherwise parallel.</summary>
    private ProcessingMode Choose()
    {
        if (items.Count <= 1 || engine.GetLaneSnapshot(options.JobOptions?.Lane ?? PacerEngine.DefaultLaneName).MaxConcurrency == 1)
        {
            return options.Combine is not null && items.Count > 1 ? ProcessingMode.Combined : ProcessingMode.Sequential;
        }

        return options.Combine is not null && items.Count <= options.GroupSize ? ProcessingMode.Combined : ProcessingMode.Parallel;
    }

    /// <summary>The fallback chain: parallel, then combined (when there is a combine function), then sequential.</summary>
    private ProcessingMode? Next(ProcessingMode mode) => mode switch
    {
        ProcessingMode.Parallel when options.Combine is not null => ProcessingMode.Combined,
        ProcessingMode.Parallel or ProcessingMode.Combined => ProcessingMode.Sequential,
        _ => null,
    };

    private Task<JobResult<TResult>[]> RunModeAsync(ProcessingMode mode, CancellationToken cancellationToken) => mode switch
    {
        ProcessingMode.Sequential => RunSequentialAsync(cancellationToken),
        ProcessingMode.Combined => RunCombinedAsync(cancellationToken),
        _ => RunParallelAsync(cancellationToken),
    };

    private async Task<JobResult<TResult>[]> RunParallelAsync(CancellationToken cancellationToken)
    {
        BatchResult<TResult> batch = await engine.RunBatchAsync(
            Enumerable.Range(0, items.Count), (index, context) => options.RunOne(items[index], context), Batch(), cancellationToken).ConfigureAwait(false);
        return [.. batch.Items.Select(Count)];
    }

    private async Task<JobResult<TResult>[]> RunSequentialAsync(CancellationToken cancellationToken)
    {
        var results = new JobResult<TResult>[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            TItem item = items[i];
            BatchResult<TResult> one = await engine.RunBatchAsync([item], options.RunOne, Batch(), cancellationToken).ConfigureAwait(false);
            results[i] = Count(one.Items[0]) with { Index = i };
        }

        return results;
    }

    /// <summary>Groups of <see cref="ModeOptions{TItem, TResult}.GroupSize"/>; each failed group is split in halves and run again, down to single items.</summary>
    private async Task<JobResult<TResult>[]> RunCombinedAsync(CancellationToken cancellationToken)
    {
        var results = new JobResult<TResult>[items.Count];
        List<(int Start, int Count)> groups = [.. Enumerable.Range(0, (items.Count + options.GroupSize - 1) / options.GroupSize)
            .Select(g => (g * options.GroupSize, Math.Min(options.GroupSize, items.Count - (g * options.GroupSize))))];
        while (groups.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            BatchResult<IReadOnlyList<TResult>> batch = await engine.RunBatchAsync(groups, CombineAsync, Batch(), cancellationToken).ConfigureAwait(false);
            var split = new List<(int Start, int Count)>();
            for (int g = 0; g < groups.Count; g++)
            {
                (int start, int count) = groups[g];
                JobResult<IReadOnlyList<TResult>> group = batch.Items[g];
                _jobsRun++;
                _jobTime += group.Duration;
                if (group.Succeeded || count == 1)
                {
                    for (int i = 0; i < count; i++)
                    {
                        results[start + i] = new JobResult<TResult>(
                            start + i, group.JobId, group.State, group.Succeeded ? group.Value![i] : default, group.Error, group.Attempts, group.Lane, group.Duration);
                    }
                }
                else
                {
                    split.Add((start, count / 2));
                    split.Add((start + (count / 2), count - (count / 2)));
                }
            }

            groups = split;
        }

        return results;
    }

    private async ValueTask<IReadOnlyList<TResult>> CombineAsync((int Start, int Count) group, JobContext context)
    {
        if (group.Count == 1)
        {
            return [await options.RunOne(items[group.Start], context).ConfigureAwait(false)];
        }

        TItem[] slice = [.. Enumerable.Range(group.Start, group.Count).Select(i => items[i])];
        IReadOnlyList<TResult> results = await options.Combine!(slice, context).ConfigureAwait(false);
        return results.Count == group.Count
            ? results
            : throw new PermanentException($"The combine function returned {results.Count} results for {group.Count} items.");
    }

    private BatchOptions Batch() => new() { JobOptions = options.JobOptions };

    private JobResult<TResult> Count(JobResult<TResult> result)
    {
        _jobsRun++;
        _jobTime += result.Duration;
        return result;
    }
}
