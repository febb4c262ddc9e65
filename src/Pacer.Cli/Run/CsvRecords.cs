using System.Runtime.CompilerServices;
using System.Text;

namespace Pacer.Cli.Run;

/// <summary>
/// CSV records (RFC 4180: fields separated by commas, quoted with <c>"</c> when they hold commas,
/// quotes or line breaks, a quote inside doubled) from the input's lines, as the lines arrive. Read
/// from lines rather than a reader, so that CSV on stdin stays cancellable like every other input.
/// </summary>
internal static class CsvRecords
{
    /// <summary>The longest record read: past it, an unclosed quote is taken for what it most likely is.</summary>
    private const int MaxRecordChars = 16 << 20;

    /// <summary>One record: its fields, the text it was read from, and its first line (1-based).</summary>
    internal sealed record CsvRecord(IReadOnlyList<string> Fields, string Text, long Line, string? Error);

    /// <summary>Every record of <paramref name="lines"/>, blank lines skipped; a record with an unclosed quote at the end is an error.</summary>
    /// <exception cref="IOException">A record longer than 16 MiB.</exception>
    public static async IAsyncEnumerable<CsvRecord> ReadAsync(IAsyncEnumerable<string> lines, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var text = new StringBuilder();
        bool quoted = false;
        long line = 0;
        long first = 0;
        await foreach (string raw in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            line++;
            string current = raw.TrimEnd('\r');
            if (!quoted)
            {
                if (current.Length == 0)
                {
                    continue;
                }

                first = line;
                text.Clear();
            }
            else
            {
                field.Append('\n');
                text.Append('\n');
            }

            text.Append(current);
            if (text.Length > MaxRecordChars)
            {
                throw new IOException($"line {first}: a CSV record runs past {MaxRecordChars >> 20} MiB (a quote not closed?)");
            }

            for (int i = 0; i < current.Length; i++)
            {
                char c = current[i];
                if (quoted)
                {
                    if (c != '"')
                    {
                        field.Append(c);
                    }
                    else if (i + 1 < current.Length && current[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            if (!quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
                yield return new CsvRecord([.. fields], text.ToString(), first, null);
                fields.Clear();
            }
        }

        if (quoted)
        {
            yield return new CsvRecord([], text.ToString(), first, $"line {first}: a quoted CSV field is not closed before the input ends");
        }
    }
}
