namespace Pacer.Tests;

/// <summary>
/// xunit runs each test under a synchronization context, and continuations that the test's own thread
/// triggers (ending an attempt, cancelling a token, a timer firing during an advance) then go to the
/// thread pool. Without the context they run inline, so the test sees the engine's reaction as soon
/// as its call returns, in a fixed order.
/// </summary>
internal static class InlineContinuations
{
    /// <summary>Clears the synchronization context of the calling test thread; xunit restores it after the test.</summary>
    public static void Enable() => SynchronizationContext.SetSynchronizationContext(null);
}
