namespace Pacer;

/// <summary>Fan-out: running jobs add children to their batch, and results gather in tree order.</summary>
public sealed partial class Batch<T>
{
    /// <summary>Parent index of each job, -1 for a job added directly; null until the first child is added.</summary>
    private List<int>? _parentOf;
    private Dictionary<int, List<int>>? _childrenOf;
    private Dictionary<int, TaskCompletionSource<IReadOnlyList<JobResult<T>>>>? _childWaiters;

    /// <summary>The first child added with each de-dup key (its <see cref="JobOptions.IdempotencyKey"/>); null until one is.</summary>
    private Dictionary<string, int>? _childKeys;

    /// <summary>Progress of one job and every job it fanned out to, at every depth.</summary>
    /// <param name="index">The job's index in the batch.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No job has that index.</exception>
    public JobTreeProgress GetTreeProgress(int index)
    {
        lock (_lock)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_jobs.Count, nameof(index));
            int total = 0, succeeded = 0, failed = 0, cancelled = 0;
            foreach (Job<T> job in SubtreeUnsynchronized(index))
            {
                total++;
                switch (job.State)
                {
                    case JobState.Succeeded:
                        succeeded++;
                        break;
                    case JobState.Failed:
                        failed++;
                        break;
                    case JobState.Cancelled:
                        cancelled++;
                        break;
                }
            }

            return new JobTreeProgress(index, total, succeeded, failed, cancelled);
        }
    }

    /// <summary>
    /// Progress level by level: the jobs added directly (depth 0), their children (1), and so on,
    /// true at any moment while the tree runs (a level's total grows as the level above fans out).
    /// </summary>
    /// <returns>One entry per depth reached so far, from 0.</returns>
    public IReadOnlyList<LevelProgress> GetLevelProgress()
    {
        lock (_lock)
        {
            var levels = new List<(int Total, int Succeeded, int Failed, int Cancelled)>();
            var depthOf = new int[_jobs.Count];
            for (int i = 0; i < _jobs.Count; i++)
            {
                // A child is added by its running parent, so its parent's index is lower and its depth known.
                int parent = _parentOf is null ? -1 : _parentOf[i];
                int depth = depthOf[i] = parent < 0 ? 0 : depthOf[parent] + 1;
                if (depth == levels.Count)
                {
                    levels.Add(default);
                }

                (int total, int succeeded, int failed, int cancelled) = levels[depth];
                JobState state = _jobs[i].State;
                levels[depth] = (total + 1, succeeded + (state == JobState.Succeeded ? 1 : 0), failed + (state == JobState.Failed ? 1 : 0), cancelled + (state == JobState.Cancelled ? 1 : 0));
            }

            return [.. levels.Select((l, depth) => new LevelProgress(depth, l.Total, l.Succeeded, l.Failed, l.Cancelled))];
        }
    }

    internal int AddChild(Job<T> parent, Func<JobContext, ValueTask<T>> work, object? state, JobOptions? options) =>
        AddJob(work, state, options, parent);

    /// <summary>The index of the child first added with <paramref name="key"/>, or null, recording <paramref name="index"/> as that child when none was.</summary>
    private int? FirstChildWithUnsynchronized(string key, int index)
    {
        _childKeys ??= new Dictionary<string, int>(StringComparer.Ordinal);
        if (_childKeys.TryGetValue(key, out int first))
        {
            return first;
        }

        _childKeys.Add(key, index);
        return null;
    }

    /// <summary>Completes when every child the parent has added so far is final.</summary>
    internal Task<IReadOnlyList<JobResult<T>>> WhenChildrenAsync(Job<T> parent)
    {
        lock (_lock)
        {
            if (_childrenOf?.GetValueOrDefault(parent.Index) is not { } children || children.TrueForAll(i => _jobs[i].IsFinal))
            {
                return Task.FromResult<IReadOnlyList<JobResult<T>>>(ChildResultsUnsynchronized(parent.Index));
            }

            _childWaiters ??= [];
            if (!_childWaiters.TryGetValue(parent.Index, out TaskCompletionSource<IReadOnlyList<JobResult<T>>>? waiter))
            {
                waiter = new TaskCompletionSource<IReadOnlyList<JobResult<T>>>(TaskCreationOptions.RunContinuationsAsynchronously);
                _childWaiters.Add(parent.Index, waiter);
            }

            return waiter.Task;
        }
    }

    private void RecordParentUnsynchronized(Job<T> job, Job<T>? parent)
    {
        if (_parentOf is null)
        {
            _parentOf = new List<int>(_jobs.Count);
            _parentOf.AddRange(Enumerable.Repeat(-1, _jobs.Count - 1));
            _childrenOf = [];
        }

        _parentOf.Add(parent?.Index ?? -1);
        if (parent is not null)
        {
            if (!_childrenOf!.TryGetValue(parent.Index, out List<int>? children))
            {
                _childrenOf.Add(parent.Index, children = []);
            }

            children.Add(job.Index);
        }
    }

    /// <summary>A job became final: wake its parent if it waits for its children and they are all final now.</summary>
    private void OnChildFinalUnsynchronized(Job<T> job)
    {
        if (_parentOf is null || _childWaiters is null || _parentOf[job.Index] is var parent && parent < 0)
        {
            return;
        }

        if (_childWaiters.TryGetValue(parent, out TaskCompletionSource<IReadOnlyList<JobResult<T>>>? waiter)
            && _childrenOf![parent].TrueForAll(i => _jobs[i].IsFinal))
        {
            _childWaiters.Remove(parent);
            waiter.TrySetResult(ChildResultsUnsynchronized(parent));
        }
    }

    private JobResult<T>[] ChildResultsUnsynchronized(int parent) =>
        _childrenOf?.GetValueOrDefault(parent) is { } children ? [.. children.Select(i => ToResult(_jobs[i]))] : [];

    /// <summary>Every job in tree order: each job added directly, in order, followed by its children in order, depth first.</summary>
    private Job<T>[] TreeOrderUnsynchronized()
    {
        var order = new List<Job<T>>(_jobs.Count);
        var stack = new Stack<int>();
        for (int root = _jobs.Count - 1; root >= 0; root--)
        {
            if (_parentOf![root] < 0)
            {
                stack.Push(root);
            }
        }

        while (stack.Count > 0)
        {
            int index = stack.Pop();
            order.Add(_jobs[index]);
            if (_childrenOf!.GetValueOrDefault(index) is { } children)
            {
                for (int i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }

        return [.. order];
    }

    private IEnumerable<Job<T>> SubtreeUnsynchronized(int index)
    {
        var stack = new Stack<int>([index]);
        while (stack.Count > 0)
        {
            int next = stack.Pop();
            yield return _jobs[next];
            if (_childrenOf?.GetValueOrDefault(next) is { } children)
            {
                foreach (int child in children)
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>Adds the job's place in the tree; under <see cref="ChildFailureMode.FailParent"/>, fails a parent whose descendants failed.</summary>
    private JobResult<T> WithTreeUnsynchronized(Job<T> job, JobResult<T> result)
    {
        int depth = 0;
        for (int p = _parentOf![job.Index]; p >= 0; p = _parentOf[p])
        {
            depth++;
        }

        result = result with { ParentIndex = _parentOf[job.Index], Depth = depth };
        if (_options.ChildFailure == ChildFailureMode.FailParent && result.Succeeded && _childrenOf!.ContainsKey(job.Index))
        {
            List<int> failed = [.. SubtreeUnsynchronized(job.Index).Skip(1).Where(j => j.State == JobState.Failed).Select(j => j.Index).Order()];
            if (failed.Count > 0)
            {
                result = result with { State = JobState.Failed, Value = default, Error = new ChildJobsFailedException(failed) };
            }
        }

        return result;
    }
}
