namespace Pacer.Tests;

/// <summary>Waits for a condition that work on other threads makes true, failing after a real-time deadline.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string what = "the condition")
    {
        long deadline = Environment.TickCount64 + (long)TaskTimeoutExtensions.DefaultTimeoutSpan.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Yield();
        }
    }
}
