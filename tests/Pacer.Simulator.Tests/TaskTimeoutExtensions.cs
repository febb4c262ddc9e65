namespace Pacer.Simulator.Tests;

/// <summary>Bounds every awaited task, so a bug fails the test instead of hanging the run.</summary>
internal static class TaskTimeoutExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);
}
