namespace Pacer.Cli.Run;

/// <summary>What one lane's requests came to, for progress and the summary.</summary>
internal sealed class LaneTally
{
    private long _succeeded;
    private long _failed;
    private long _cancelled;
    private long _retries;

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public long Cancelled => Interlocked.Read(ref _cancelled);

    public long Retries => Interlocked.Read(ref _retries);

    public void Record(RunResult result)
    {
        if (result.Ok)
        {
            Interlocked.Increment(ref _succeeded);
        }
        else if (result.Cancelled)
        {
            Interlocked.Increment(ref _cancelled);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }

        if (result.Attempts > 1)
        {
            Interlocked.Add(ref _retries, result.Attempts - 1);
        }
    }
}
