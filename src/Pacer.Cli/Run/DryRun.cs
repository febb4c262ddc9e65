using System.Globalization;
using Pacer.Cli.Config;

namespace Pacer.Cli.Run;

/// <summary>
/// <c>--dry-run</c>: reads and checks the input and the config, and says what a run would do — the
/// lanes, how many requests each gets, and the least time their rates allow — without sending
/// anything, and without changing any file (the out file is only read, for <c>--resume</c>).
/// </summary>
internal static class DryRun
{
    /// <summary>Writes the plan on <paramref name="io"/>'s stdout and bad lines on its stderr; exit 0, or 2 for bad lines or input.</summary>
    public static async Task<int> RunAsync(LineSource source, RequestParser parser, IReadOnlyList<LaneConfig> lanes, RunSettings settings, CliIo io, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<long, ResumedResult> done = new Dictionary<long, ResumedResult>();
        if (settings.Resume && settings.Out is { } path && File.Exists(path))
        {
            try
            {
                ResumeFile results = await ResumeFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
                if (await ResumeMatch.FindMismatchAsync(results, path, source, cancellationToken).ConfigureAwait(false) is { } mismatch)
                {
                    await io.Error.WriteLineAsync(mismatch).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                done = results.Done;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await io.Error.WriteLineAsync($"Cannot read the out file '{path}': {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        var requests = lanes.ToDictionary(l => l.Name, _ => 0L, StringComparer.Ordinal);
        var costs = lanes.ToDictionary(l => l.Name, _ => 0L, StringComparer.Ordinal);
        long bad = 0;
        long skipped = 0;
        long index = -1;
        try
        {
            await foreach (string text in source.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                index++;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                if (done.ContainsKey(index))
                {
                    skipped++;
                    continue;
                }

                InputLine line = parser.Parse(index, text);
                if (line.Request is { } request)
                {
                    requests[request.Lane]++;
                    costs[request.Lane] += request.Cost;
                }
                else
                {
                    bad++;
                    await io.Error.WriteLineAsync(line.Error).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await io.Error.WriteLineAsync($"Cannot read {source.Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await WritePlanAsync(io.Out, lanes, requests, costs).ConfigureAwait(false);
        if (skipped > 0)
        {
            await io.Out.WriteLineAsync(Invariant($"{skipped} line(s) already have a result in '{settings.Out}' and would be skipped (--resume).")).ConfigureAwait(false);
        }

        if (bad > 0)
        {
            await io.Out.WriteLineAsync(Invariant($"{bad} bad line(s) would get an error result and not be sent (named on stderr).")).ConfigureAwait(false);
        }

        await io.Out.WriteLineAsync("Dry run: nothing was sent, and no file was changed.").ConfigureAwait(false);
        return bad > 0 ? ExitCodes.Usage : ExitCodes.Success;
    }

    private static async Task WritePlanAsync(TextWriter output, IReadOnlyList<LaneConfig> lanes, Dictionary<string, long> requests, Dictionary<string, long> costs)
    {
        await output.WriteLineAsync("lane                   requests  at once  limits                          least time").ConfigureAwait(false);
        double overall = 0;
        foreach (LaneConfig lane in lanes)
        {
            // A lane's limits hold for its own requests and for those of the lanes under it.
            long n = requests.Where(r => Within(r.Key, lane.Name)).Sum(r => r.Value);
            long cost = costs.Where(c => Within(c.Key, lane.Name)).Sum(c => c.Value);
            double least = Math.Max(RunSummary.LeastSeconds(n, [.. lane.Limits.Rates]) ?? 0, RunSummary.LeastSeconds(cost, [.. lane.Limits.CostRates]) ?? 0);
            overall = Math.Max(overall, least);
            string atOnce = lane.Limits.MaxConcurrency is { } max ? Invariant($"{max}") : "-";
            string limits = string.Join(", ", lane.Limits.Rates.Select(Rate).Concat(lane.Limits.CostRates.Select(r => Rate(r) + " tokens")));
            await output.WriteLineAsync(Invariant($"{lane.Name,-22} {n,9} {atOnce,8}  {(limits.Length == 0 ? "-" : limits),-30} {least,10:0.00}s")).ConfigureAwait(false);
        }

        await output.WriteLineAsync(Invariant($"The rates allow no less than {overall:0.00}s for these requests (latency and concurrency can make a run longer).")).ConfigureAwait(false);
    }

    private static bool Within(string lane, string ancestor) =>
        lane == ancestor || lane.StartsWith(ancestor + "/", StringComparison.Ordinal);

    private static string Rate(RateLimit rate) => rate.Period == TimeSpan.FromSeconds(1) ? Invariant($"{rate.Permits}/s")
        : rate.Period == TimeSpan.FromMinutes(1) ? Invariant($"{rate.Permits}/min")
        : Invariant($"{rate.PerSecondRate:0.###}/s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
