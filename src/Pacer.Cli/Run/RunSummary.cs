using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>The end-of-run summary on stderr: per lane, outcomes and retries; then the wall time.</summary>
internal static class RunSummary
{
    public static async Task WriteAsync(TextWriter error, IReadOnlyDictionary<string, LaneTally> tallies, long badLines, long skipped, TimeSpan wall)
    {
        await error.WriteLineAsync("lane                 succeeded     failed  cancelled    retries").ConfigureAwait(false);
        foreach ((string name, LaneTally tally) in tallies)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{name,-20} {tally.Succeeded,10} {tally.Failed,10} {tally.Cancelled,10} {tally.Retries,10}")).ConfigureAwait(false);
        }

        if (badLines > 0)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{badLines} bad input lines got an error result and were not sent.")).ConfigureAwait(false);
        }

        if (skipped > 0)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{skipped} lines already had a result and were skipped.")).ConfigureAwait(false);
        }

        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wall time {wall.TotalSeconds:0.00}s")).ConfigureAwait(false);
        await error.FlushAsync().ConfigureAwait(false);
    }
}
