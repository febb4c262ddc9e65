using System.Globalization;
using Pacer.Cli.Progress;

namespace Pacer.Cli.Run;

/// <summary>
/// The end-of-run summary on stderr: per lane, outcomes, retries, 429 answers, the achieved rate
/// against the limit and the least time the limits allow; then the wall time against the least overall.
/// </summary>
internal static class RunSummary
{
    /// <param name="defaultConcurrency">The lanes that ran at <see cref="Config.LaneLimits.DefaultConcurrency"/> because they were told no concurrency.</param>
    /// <param name="limitsFromFlags">Whether the lane's limits came from the flags (advice names flags) rather than <c>pacer.yaml</c> (advice names its keys).</param>
    public static async Task WriteAsync(TextWriter error, ProgressState state, long badLines, long skipped, TimeSpan wall, IReadOnlyCollection<string>? defaultConcurrency = null, bool limitsFromFlags = true)
    {
        var advice = new List<string>();
        int nameWidth = Math.Clamp(state.Tallies.Keys.Select(n => n.Length).DefaultIfEmpty(4).Max(), 6, MaxNameWidth);
        await error.WriteLineAsync(Row(nameWidth, "lane", "ok", "failed", "cancelled", "retries", "429s", "achieved", "limit", "least")).ConfigureAwait(false);
        double leastOverall = 0;
        bool anyStated = false;
        foreach ((string name, LaneTally tally) in state.Tallies)
        {
            LaneSnapshot lane = state.Engine.GetLaneSnapshot(name);
            // What the service saw: a request cancelled before it was sent is not judged against the rate.
            long sent = tally.Attempted;
            TimeSpan span = tally.Span(state.Time);
            IReadOnlyList<RateLimit> rates = lane.Rates;
            double? stated = StatedCeiling(lane);
            anyStated |= stated is not null;
            double? least = LeastSeconds(sent, rates, stated);
            leastOverall = Math.Max(leastOverall, least ?? 0);
            string achieved = span > TimeSpan.Zero ? ProgressState.Rate(sent / span.TotalSeconds) : "-";
            string limit = rates.Count == 0 ? "-"
                : ProgressState.Rate(Enumerable.Range(0, rates.Count).Min(i => PerSecond(rates, i, stated))) + (stated is null ? "" : "*");
            string leastText = least is { } l ? Invariant($"{l:0.00}s") : "-";
            await error.WriteLineAsync(Row(nameWidth, name, Invariant($"{tally.Succeeded}"), Invariant($"{tally.Failed}"), Invariant($"{tally.Cancelled}"), Invariant($"{tally.Retries}"), Invariant($"{tally.TooManyRequests}"), achieved, limit, leastText)).ConfigureAwait(false);
            if (lane.CostRates.Count > 0)
            {
                // The lane's token rates: what its attempts spent (corrected from the answers' usage) over the same span.
                double? tokensLeast = LeastSeconds(lane.CostSpent, lane.CostRates);
                leastOverall = Math.Max(leastOverall, tokensLeast ?? 0);
                // Tokens per second, in the columns of the requests' rates; the row's label says they are tokens.
                string tokens = span > TimeSpan.Zero ? Invariant($"{lane.CostSpent / span.TotalSeconds:0}/s") : "-";
                string tokenLimit = Invariant($"{lane.CostRates.Min(r => r.PerSecondRate):0}/s");
                await error.WriteLineAsync(Invariant($"  tokens spent: {lane.CostSpent}")).ConfigureAwait(false);
                await error.WriteLineAsync(Row(nameWidth, "  tokens", "", "", "", "", "", tokens, tokenLimit, Invariant($"{tokensLeast:0.00}s"))).ConfigureAwait(false);
            }

            if (lane.SharedStartsExpired > 0)
            {
                // Starts the shared state reserved for this process that it could not use in time: nobody used them.
                await error.WriteLineAsync(Invariant($"  shared: {lane.SharedStartsExpired} reserved starts went unused (a start is dropped soon after its time, never used late)")).ConfigureAwait(false);
            }

            if (state.Pauses.Totals(name, state.Time.GetUtcNow()) is { } pauses)
            {
                await error.WriteLineAsync(PauseLine(pauses)).ConfigureAwait(false);
            }

            advice.AddRange(ToldTooMuch.Advise(name, lane, tally, limitsFromFlags));
        }

        if (badLines > 0)
        {
            await error.WriteLineAsync(Invariant($"{badLines} bad input lines got an error result and were not sent.")).ConfigureAwait(false);
        }

        if (skipped > 0)
        {
            await error.WriteLineAsync(Invariant($"{skipped} lines already had a result and were skipped.")).ConfigureAwait(false);
        }

        await error.WriteLineAsync(Invariant($"wall time {wall.TotalSeconds:0.00}s; the limits allow no less than {leastOverall:0.00}s")).ConfigureAwait(false);
        foreach (string line in advice)
        {
            await error.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (defaultConcurrency is { Count: > 0 })
        {
            string lanes = defaultConcurrency.Count == 1 ? $"lane {defaultConcurrency.First()}" : $"lanes {string.Join(", ", defaultConcurrency)}";
            await error.WriteLineAsync(Invariant(
                $"{lanes} sent at most {Config.LaneLimits.DefaultConcurrency} requests at once, the default: raise it with --concurrency (concurrency: in pacer.yaml) for a service that takes more.")).ConfigureAwait(false);
        }

        await error.WriteLineAsync("(429s: every 429 answer, retries included; achieved: requests sent, over the").ConfigureAwait(false);
        await error.WriteLineAsync(" time from the lane's first start to its last finish; least: what the limits allow)").ConfigureAwait(false);
        if (anyStated)
        {
            await error.WriteLineAsync("(*: the limit the service stated in its headers, below the one an adaptive lane was told)").ConfigureAwait(false);
        }

        await error.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>The longest lane name the table shows whole; a longer one is cut with <c>…</c>, so that the table fits 80 columns.</summary>
    private const int MaxNameWidth = 13;

    /// <summary>One row of the lane table: at most 80 columns with a name of up to <see cref="MaxNameWidth"/>.</summary>
    private static string Row(int nameWidth, string name, string ok, string failed, string cancelled, string retries, string tooMany, string achieved, string limit, string least)
    {
        string shown = name.Length > nameWidth ? name[..(nameWidth - 1)] + "…" : name;
        return Invariant($"{shown.PadRight(nameWidth)} {ok,6} {failed,6} {cancelled,9} {retries,7} {tooMany,5} {achieved,9} {limit,9} {least,8}").TrimEnd();
    }

    /// <summary>
    /// How long a lane waited because the service said so, and why: <c>paused 2 times, 1m in all; the
    /// longest asked for: Retry-After 11d13h46m39s, capped at 1h (1 cut to --max-pause / maxPause)</c>.
    /// </summary>
    private static string PauseLine(PauseTotals pauses)
    {
        string times = pauses.Count == 1 ? "once" : Invariant($"{pauses.Count} times");
        string capped = pauses.Capped == 0 ? "" : Invariant($" ({pauses.Capped} cut to the lane's bound, --max-pause or maxPause)");
        return Invariant($"  paused {times}, {PauseLog.Shown(pauses.Paused)} in all, as the service asked; the longest: {pauses.Longest.Description}{capped}");
    }

    /// <summary>
    /// The limit the service stated for an adaptive lane told more (its lowered ceiling): that
    /// limit, not the told one, bounds the run. Null when there is none.
    /// </summary>
    private static double? StatedCeiling(LaneSnapshot lane) =>
        lane.AdaptiveCeiling is { } ceiling && lane.Rates.Count > 0 && ceiling < lane.Rates[0].PerSecondRate - 1e-9 ? ceiling : null;

    /// <summary>The per-second rate of <paramref name="rates"/>[<paramref name="i"/>], the first one capped at the stated ceiling.</summary>
    private static double PerSecond(IReadOnlyList<RateLimit> rates, int i, double? statedCeiling) =>
        i == 0 && statedCeiling is { } ceiling ? Math.Min(ceiling, rates[0].PerSecondRate) : rates[i].PerSecondRate;

    /// <summary>
    /// The least time in which <paramref name="requests"/> can start under <paramref name="rates"/>:
    /// for each rate of r per second with burst b, (n − b) / r; the slowest rate decides. The first
    /// rate is capped at <paramref name="statedCeiling"/> when given (an adaptive lane's stated
    /// limit). Null without rates.
    /// </summary>
    public static double? LeastSeconds(long requests, IReadOnlyList<RateLimit> rates, double? statedCeiling = null) =>
        rates.Count == 0 ? null
            : Enumerable.Range(0, rates.Count).Max(i => Math.Max(0, requests - rates[i].Burst) / PerSecond(rates, i, statedCeiling));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
