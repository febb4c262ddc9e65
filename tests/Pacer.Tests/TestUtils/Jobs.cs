namespace Pacer.Tests;

/// <summary>Job bodies that need no state.</summary>
internal static class Jobs
{
    /// <summary>Returns 0 at once.</summary>
    public static readonly Func<JobContext, ValueTask<int>> Instant = _ => ValueTask.FromResult(0);

    /// <summary>Fails at once with <paramref name="error"/>, on every attempt.</summary>
    public static Func<JobContext, ValueTask<int>> Failing(Func<Exception> error) => _ => ValueTask.FromException<int>(error());
}
