using System.Runtime.CompilerServices;

namespace Pacer.Cli.Run;

/// <summary>Text lines and CSV rows made into request lines through a <see cref="RequestTemplate"/>.</summary>
internal static class InputRecords
{
    /// <summary>One request line per text line: <c>{}</c> is the line, and the line is the result's id. A blank line stays blank (no request, no result).</summary>
    public static async IAsyncEnumerable<string> TextAsync(IAsyncEnumerable<string> lines, RequestTemplate template, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (string raw in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            string value = raw.TrimEnd('\r');
            yield return string.IsNullOrWhiteSpace(value) ? "" : template.Fill(value, null, value);
        }
    }

    /// <summary>
    /// One request line per CSV row after the header: <c>{column}</c> is the row's field under that
    /// header, <c>{}</c> the row as written, and an <c>id</c> column the result's id. A row with more or
    /// fewer fields than the header is an error of its own.
    /// </summary>
    /// <exception cref="IOException">The header lacks a column that the templates name, or the input has no header.</exception>
    public static async IAsyncEnumerable<string> CsvAsync(IAsyncEnumerable<string> lines, RequestTemplate template, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[]? header = null;
        await foreach (CsvRecords.CsvRecord record in CsvRecords.ReadAsync(lines, cancellationToken).ConfigureAwait(false))
        {
            if (header is null)
            {
                header = [.. record.Fields.Select(f => f.Trim())];
                string[] missing = [.. template.Placeholders().Where(n => n.Length > 0 && !header.Contains(n, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];
                if (record.Error is not null || missing.Length > 0)
                {
                    throw new IOException(record.Error ?? $"its CSV header ({string.Join(", ", header)}) has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}, which the templates name");
                }

                continue;
            }

            if (record.Error is not null)
            {
                yield return InputShape.ErrorLine(record.Error);
            }
            else if (record.Fields.Count != header.Length)
            {
                yield return InputShape.ErrorLine($"line {record.Line}: a CSV row of {record.Fields.Count} field(s) under a header of {header.Length}");
            }
            else
            {
                var columns = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
                for (int i = 0; i < header.Length; i++)
                {
                    columns.TryAdd(header[i], record.Fields[i]);
                }

                yield return template.Fill(record.Text, columns, columns.GetValueOrDefault("id"));
            }
        }

        if (header is null)
        {
            throw new IOException("it holds no CSV header row");
        }
    }
}
