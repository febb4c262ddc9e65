namespace Pacer;

/// <summary>Who learns a job's end: a lone job's task, or its batch.</summary>
internal interface IJobOwner<T>
{
    /// <summary>Called exactly once per job, outside the engine lock, after the job became final.</summary>
    void OnJobFinal(Job<T> job);
}
