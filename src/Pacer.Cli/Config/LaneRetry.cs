using System.Globalization;
using System.Net;
using Pacer.Http;
using Pacer.Shared;

namespace Pacer.Cli.Config;

/// <summary>
/// How a lane's requests are retried: how many times after the first attempt, the backoff when the
/// service names no wait, and which answer statuses are worth another attempt (network errors and
/// timed-out attempts always are).
/// </summary>
internal sealed record LaneRetry(int Retries, TimeSpan BaseDelay, TimeSpan MaxDelay, IReadOnlyList<int> Statuses)
{
    /// <summary>Two retries, 1 s doubling to at most 30 s, on 408, 429, 500, 502, 503 and 504.</summary>
    public static LaneRetry Default { get; } = new(
        2,
        RetryPolicy.Default.BaseDelay,
        RetryPolicy.Default.MaxDelay,
        [.. new PacerHttpOptions().RetryableStatusCodes.Select(s => (int)s).Order()]);

    /// <summary>
    /// A policy from what was given, the default's for the rest: the longest backoff is 30 s, or the
    /// first delay if that is longer; the statuses are kept once each, in order.
    /// </summary>
    public static LaneRetry Create(int? retries, TimeSpan? baseDelay, TimeSpan? maxDelay, IEnumerable<int>? statuses)
    {
        TimeSpan first = baseDelay ?? Default.BaseDelay;
        return new LaneRetry(
            retries ?? Default.Retries,
            first,
            maxDelay ?? (Default.MaxDelay > first ? Default.MaxDelay : first),
            statuses is null ? Default.Statuses : [.. statuses.Distinct().Order()]);
    }

    /// <summary>
    /// Adds a message for each value out of range to <paramref name="errors"/>, naming it as the
    /// user wrote it: <paramref name="name"/> maps <c>retries</c>, <c>statuses</c>, <c>baseDelay</c>
    /// and <c>maxDelay</c> to a flag or a config key, and each message starts with <paramref name="where"/>.
    /// </summary>
    public void Validate(string where, Func<string, string> name, List<string> errors)
    {
        if (Retries is < 0 or >= RetryPolicy.MaxAttemptsLimit)
        {
            errors.Add($"{where}{name("retries")} must be between 0 and {RetryPolicy.MaxAttemptsLimit - 1}, got {Retries}.");
        }

        foreach (int status in Statuses.Where(s => s is < 400 or > 599))
        {
            errors.Add($"{where}{name("statuses")} must be HTTP error statuses from 400 to 599, got {status}.");
        }

        if (MaxDelay < BaseDelay)
        {
            errors.Add($"{where}{name("maxDelay")} must be at least {name("baseDelay")} ({BaseDelay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s), got {MaxDelay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s.");
        }
    }

    /// <summary>The engine's policy: attempts in all and the backoff.</summary>
    public RetryPolicy ToPolicy() => new() { MaxAttempts = Retries + 1, BaseDelay = BaseDelay, MaxDelay = MaxDelay };

    /// <summary>The statuses the HTTP handler retries.</summary>
    public HashSet<HttpStatusCode> StatusCodes() => [.. Statuses.Select(s => (HttpStatusCode)s)];

    /// <summary>As <c>pacer validate</c> shows it: "2 retries on 429, 503; backoff 1s to 30s".</summary>
    public override string ToString() =>
        $"{Retries} {(Retries == 1 ? "retry" : "retries")} on {(Statuses.Count == 0 ? "no status" : string.Join(", ", Statuses))}; backoff {DurationSyntax.Format(BaseDelay)} to {DurationSyntax.Format(MaxDelay)}";
}
