using System.Globalization;
using Pacer.Cli.Run;

namespace Pacer.Cli.Progress;

/// <summary>The last few results of a run, newest first, as progress shows them: lane, line, id, status or error, time and attempts.</summary>
internal sealed class RecentResults(int capacity)
{
    private readonly Lock _lock = new();
    private readonly RunResult?[] _ring = new RunResult?[capacity];
    private int _next;

    /// <summary>Keeps <paramref name="result"/> in place of the oldest.</summary>
    public void Add(RunResult result)
    {
        lock (_lock)
        {
            _ring[_next] = result;
            _next = (_next + 1) % _ring.Length;
        }
    }

    /// <summary>Up to <paramref name="count"/> results, newest first, one line each.</summary>
    public IReadOnlyList<string> Describe(int count)
    {
        var lines = new List<string>(count);
        lock (_lock)
        {
            for (int i = 1; i <= _ring.Length && lines.Count < count; i++)
            {
                if (_ring[(_next - i + _ring.Length) % _ring.Length] is { } result)
                {
                    lines.Add(Describe(result));
                }
            }
        }

        return lines;
    }

    /// <summary>
    /// For example <c>openai #12 (id "a-7") → 200 OK, 0.43s (queued 10.0s), 2 attempts</c>: the line
    /// number marked apart from the status, and the time of the request apart from its wait for the lane.
    /// </summary>
    public static string Describe(RunResult result)
    {
        string id = result.IdJson is null ? string.Empty : $" (id {result.IdJson})";
        string outcome = result.Ok ? Invariant($"{result.Status} OK") : ErrorText(result);
        long queued = Math.Clamp(result.QueuedMilliseconds ?? 0, 0, result.Milliseconds);
        string time = result.Attempts == 0 ? "" : Invariant($", {Seconds(result.Milliseconds - queued)}");
        string wait = queued >= 100 ? Invariant($" (queued {Seconds(queued)})") : "";
        string attempts = result.Attempts > 1 ? Invariant($", {result.Attempts} attempts") : string.Empty;
        return Invariant($"{result.Lane ?? "-"} #{result.Index + 1}{id} → {outcome}{time}{wait}{attempts}");
    }

    private static string Seconds(long milliseconds) => milliseconds < 10_000 ? Invariant($"{milliseconds / 1000.0:0.00}s") : Invariant($"{milliseconds / 1000.0:0.0}s");

    /// <summary>The error without its <c>line N: </c> prefix, which the description already says.</summary>
    private static string ErrorText(RunResult result)
    {
        string error = result.Error ?? Invariant($"HTTP {result.Status}");
        string prefix = Invariant($"line {result.Index + 1}: ");
        return error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : error;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
