using System.Collections;

namespace Pacer;

/// <summary>
/// A finished batch's results, read off its jobs on demand: a million results cost no copy until
/// someone reads them.
/// </summary>
internal sealed class JobResultList<T>(Job<T>[] jobs, Func<Job<T>, JobResult<T>> toResult) : IReadOnlyList<JobResult<T>>
{
    public int Count => jobs.Length;

    public JobResult<T> this[int index] => toResult(jobs[index]);

    /// <summary>The results of the jobs that did not succeed, in order.</summary>
    public JobResult<T>[] Unsucceeded()
    {
        var errors = new List<JobResult<T>>();
        foreach (Job<T> job in jobs)
        {
            if (job.State != JobState.Succeeded)
            {
                errors.Add(toResult(job));
            }
        }

        return [.. errors];
    }

    public IEnumerator<JobResult<T>> GetEnumerator()
    {
        foreach (Job<T> job in jobs)
        {
            yield return toResult(job);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
