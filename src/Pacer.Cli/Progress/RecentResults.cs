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

    /// <summary>For example <c>openai line 12 (id "a-7"): 200 in 431 ms, 2 attempts</c>.</summary>
    public static string Describe(RunResult result)
    {
        string id = result.IdJson is null ? string.Empty : $" (id {result.IdJson})";
        string outcome = result.Ok ? Invariant($"{result.Status}") : ErrorText(result);
        string attempts = result.Attempts > 1 ? Invariant($", {result.Attempts} attempts") : string.Empty;
        return Invariant($"{result.Lane ?? "-"} line {result.Index + 1}{id}: {outcome} in {result.Milliseconds} ms{attempts}");
    }

    /// <summary>The error without its <c>line N: </c> prefix, which the description already says.</summary>
    private static string ErrorText(RunResult result)
    {
        string error = result.Error ?? Invariant($"HTTP {result.Status}");
        string prefix = Invariant($"line {result.Index + 1}: ");
        return error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : error;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
