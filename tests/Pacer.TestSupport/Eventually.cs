namespace Pacer.TestSupport;

/// <summary>Waits for a condition that work on other threads makes true, failing after a real-time deadline.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string what = "the condition", TimeSpan? deadline = null)
    {
        long end = Environment.TickCount64 + (long)(deadline ?? TaskTimeoutExtensions.DefaultTimeoutSpan).TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > end)
            {
                Xunit.Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Yield();
        }
    }

    /// <summary>As <see cref="HoldsAsync(Func{bool}, string, TimeSpan?)"/>, for a condition that is checked asynchronously.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what = "the condition", TimeSpan? deadline = null)
    {
        long end = Environment.TickCount64 + (long)(deadline ?? TaskTimeoutExtensions.DefaultTimeoutSpan).TotalMilliseconds;
        while (!await condition().ConfigureAwait(false))
        {
            if (Environment.TickCount64 > end)
            {
                Xunit.Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Yield();
        }
    }
}
