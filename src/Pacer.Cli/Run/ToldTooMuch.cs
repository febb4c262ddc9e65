using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>
/// What the summary says of a lane told more than its service takes: many 429 answers without
/// <c>--adaptive</c>, or a limit the service stated in its headers below the one the lane was told,
/// with what to give instead.
/// </summary>
internal static class ToldTooMuch
{
    /// <summary>429 answers below this many are the noise of any busy service, not a sign.</summary>
    private const int FewTooMany = 3;

    /// <summary>A share of 429 answers above this (of the requests sent) means the lane was told too much.</summary>
    private const double ManyShare = 0.01;

    public static IEnumerable<string> Advise(string name, LaneSnapshot lane, LaneTally tally, bool fromFlags)
    {
        bool adaptive = lane.AdaptiveRate is not null;
        long refused = tally.TooManyRequests;
        long sent = Math.Max(1, tally.Sent);
        if (!adaptive && refused >= FewTooMany && refused >= ManyShare * sent)
        {
            string tryThis = fromFlags ? "run with --adaptive to find its limit, or lower --rps/--rpm" : $"set adaptive: true on lane {name} in pacer.yaml, or lower its rps/rpm";
            yield return Invariant($"lane {name}: {refused} answers were 429 Too Many Requests, for {tally.Sent} requests: the service takes less than the lane was told; {tryThis}.");
        }

        if (adaptive && lane.Rates.Count > 0 && tally.TooManyRequests > 0 && tally.StatedPerSecond is null)
        {
            // What the lane found, as flags or settings to start from next time.
            double learned = lane.AdaptiveRate.GetValueOrDefault();
            double told = lane.Rates[0].PerSecondRate;
            if (learned < told * 0.999)
            {
                (string figure, string flag, string key) = Given(learned);
                (string atOnce, string flags, string keys) = lane.MaxConcurrency is { } max
                    ? (Invariant($", {max} at once"), Invariant($"{flag} --concurrency {max}"), Invariant($"{key} and concurrency: {max}"))
                    : ("", flag, key);
                string give = fromFlags ? $"give {flags}" : $"give lane {name} {keys} in pacer.yaml";
                yield return Invariant($"lane {name}: learned {figure}{atOnce} from {refused} answers 429, under the {told:0.##}/s it was told. To start there next time, {give}.");
            }
        }

        if (tally.StatedPerSecond is { } stated && lane.Rates.Count > 0)
        {
            double told = lane.Rates.Min(r => r.PerSecondRate);
            if (told > stated * 1.001)
            {
                (string figure, string flag, string key) = Given(stated);
                string give = fromFlags ? $"give {flag}" : $"give lane {name} {key} in pacer.yaml";
                string toldText = Invariant($"{told:0.##}/s");
                yield return adaptive
                    ? Invariant($"lane {name}: the service stated a limit of {figure}, below the {toldText} it was told; the adaptive lane kept to it. To start there next time, {give}.")
                    : Invariant($"lane {name}: the service stated a limit of {figure}, below the {toldText} it was told; {give}.");
            }
        }
    }

    /// <summary>A rate as the summary says it, as the flag to give and as the pacer.yaml key: per second from 1 a second, per minute under.</summary>
    private static (string Figure, string Flag, string Key) Given(double perSecond) => perSecond >= 1
        ? (Invariant($"{perSecond:0.##}/s"), Invariant($"--rps {Math.Floor(perSecond):0}"), Invariant($"rps: {perSecond:0.##}"))
        : (Invariant($"{perSecond * 60:0.##}/min"), Invariant($"--rpm {Math.Max(1, Math.Floor(perSecond * 60)):0}"), Invariant($"rpm: {perSecond * 60:0.##}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
