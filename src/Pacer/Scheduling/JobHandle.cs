namespace Pacer;

/// <summary>A submitted job: its task, its state, and a way to cancel it.</summary>
/// <typeparam name="T">What the job's work returns.</typeparam>
public readonly struct JobHandle<T> : IEquatable<JobHandle<T>>
{
    private readonly Job<T> _job;

    internal JobHandle(Job<T> job)
    {
        _job = job;
    }

    /// <summary>The job's id, unique within its engine.</summary>
    public long Id => _job.Id;

    /// <summary>Completes with the job's result; faults with its last error; is cancelled when the job is.</summary>
    /// <remarks>Made on first use: a job whose task nobody asks for costs only the job itself.</remarks>
    public Task<T> Task => _job.GetCompletion().Task;

    /// <summary>Where the job stands now.</summary>
    public JobState State => _job.State;

    /// <summary>Attempts started so far.</summary>
    public int Attempts => _job.Attempt;

    /// <summary>What the job's work last reported of its progress (<see cref="JobContext.ReportProgress"/>), with the ETA it implies; null before it reports any.</summary>
    public JobProgress? Progress => _job.Lane.Engine.ProgressOf(_job);

    /// <summary>
    /// Cancels the job: a queued or retry-waiting job ends at once; a running attempt has its
    /// token cancelled, and the job is reported cancelled without waiting for the work to return.
    /// Does nothing to a job that is already final.
    /// </summary>
    public void Cancel() => _job.Lane.Engine.Cancel(_job);

    /// <inheritdoc/>
    public bool Equals(JobHandle<T> other) => ReferenceEquals(_job, other._job);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JobHandle<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _job?.GetHashCode() ?? 0;

    /// <summary>Whether both handles refer to the same job.</summary>
    public static bool operator ==(JobHandle<T> left, JobHandle<T> right) => left.Equals(right);

    /// <summary>Whether the handles refer to different jobs.</summary>
    public static bool operator !=(JobHandle<T> left, JobHandle<T> right) => !left.Equals(right);
}
