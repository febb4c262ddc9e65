using Microsoft.Extensions.Time.Testing;

namespace Pacer.Http.Tests;

internal static class FakeTimeExtensions
{
    /// <summary>
    /// Advances fake time by <paramref name="step"/> until <paramref name="condition"/> holds, at
    /// most <paramref name="limit"/> of fake time and <see cref="TaskTimeoutExtensions.DefaultTimeoutSpan"/>
    /// of real time. Work posted elsewhere gets a chance to run between steps.
    /// </summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan limit)
    {
        TimeSpan advanced = TimeSpan.Zero;
        long deadline = Environment.TickCount64 + (long)TaskTimeoutExtensions.DefaultTimeoutSpan.TotalMilliseconds;
        while (!condition())
        {
            Assert.True(advanced < limit, $"The condition did not hold within {limit} of fake time.");
            Assert.True(Environment.TickCount64 < deadline, "The condition did not hold in real time.");
            time.Advance(step);
            advanced += step;
            await Task.Yield();
        }
    }
}
