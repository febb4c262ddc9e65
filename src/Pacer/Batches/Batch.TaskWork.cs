namespace Pacer;

// The overloads here differ from the ValueTask ones in their delegates' types, not in their
// optional parameters: a call that omits the options resolves as it always did.
#pragma warning disable RS0026

/// <summary>Jobs whose work returns <see cref="Task{TResult}"/>, as HttpClient and SDKs do: thin adapters to the <see cref="ValueTask{TResult}"/> ones.</summary>
public sealed partial class Batch<T>
{
    /// <summary>As <see cref="Add(Func{JobContext, ValueTask{T}}, JobOptions?)"/>, for work that returns a <see cref="Task{TResult}"/>.</summary>
    /// <param name="work">The work.</param>
    /// <param name="options">Its options; default: the batch's <see cref="BatchOptions.JobOptions"/>.</param>
    /// <returns>Its index in the batch.</returns>
    public int Add(Func<JobContext, Task<T>> work, JobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Add(context => new ValueTask<T>(work(context)), null, options);
    }

    /// <summary>As <see cref="Add(Func{JobContext, ValueTask{T}}, object?, JobOptions?)"/>, for work that returns a <see cref="Task{TResult}"/>.</summary>
    /// <param name="work">The work; it reads <paramref name="state"/> from <see cref="JobContext.State"/>.</param>
    /// <param name="state">The job's state object.</param>
    /// <param name="options">Its options; default: the batch's <see cref="BatchOptions.JobOptions"/>.</param>
    /// <returns>Its index in the batch.</returns>
    public int Add(Func<JobContext, Task<T>> work, object? state, JobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Add(context => new ValueTask<T>(work(context)), state, options);
    }
}
