namespace Pacer;

/// <summary>Every job of a finished batch, in submission order, partial results included.</summary>
/// <typeparam name="T">What the work returns.</typeparam>
public sealed class BatchResult<T>
{
    internal BatchResult(JobResultList<T> items)
    {
        Items = items;
        Errors = items.Unsucceeded();
        Succeeded = items.Count - Errors.Count;
        Failed = Errors.Count(e => e.State == JobState.Failed);
        Cancelled = Errors.Count - Failed;
    }

    /// <summary>One result per job, in submission order.</summary>
    public IReadOnlyList<JobResult<T>> Items { get; }

    /// <summary>The jobs that did not succeed, in submission order, each with its error.</summary>
    public IReadOnlyList<JobResult<T>> Errors { get; }

    /// <summary>Jobs that succeeded.</summary>
    public int Succeeded { get; }

    /// <summary>Jobs that failed.</summary>
    public int Failed { get; }

    /// <summary>Jobs that were cancelled.</summary>
    public int Cancelled { get; }

    /// <summary>Whether every job succeeded.</summary>
    public bool AllSucceeded => Errors.Count == 0;

    /// <summary>The values in submission order.</summary>
    /// <returns>The values.</returns>
    /// <exception cref="BatchFailedException">Some job did not succeed; lists every error with its index.</exception>
    public T[] GetValuesOrThrow()
    {
        if (!AllSucceeded)
        {
            string first = Errors[0].Error?.Message ?? Errors[0].State.ToString();
            throw new BatchFailedException(
                $"{Errors.Count} of {Items.Count} jobs did not succeed ({Failed} failed, {Cancelled} cancelled); first, item {Errors[0].Index}: {first}",
                [.. Errors.Select(e => (e.Index, e.Error ?? new OperationCanceledException()))]);
        }

        var values = new T[Items.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Items[i].Value!;
        }

        return values;
    }
}
