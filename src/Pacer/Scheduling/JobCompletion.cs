namespace Pacer;

/// <summary>The task of a lone job; also holds the registration on the caller's token.</summary>
internal sealed class JobCompletion<T>() : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IJobOwner<T>
{
    public CancellationTokenRegistration Registration;

    public void OnJobFinal(Job<T> job)
    {
        Registration.Dispose();
        if (Task.IsCompleted)
        {
            return;
        }

        switch (job.State)
        {
            case JobState.Succeeded:
                TrySetResult(job.Result!);
                break;
            case JobState.Cancelled:
                TrySetCanceled(job.Error is OperationCanceledException oce ? oce.CancellationToken : default);
                break;
            default:
                TrySetException(job.Error ?? new InvalidOperationException("The job failed without an error."));
                break;
        }
    }
}
