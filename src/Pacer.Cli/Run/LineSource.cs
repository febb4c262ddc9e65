using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Pacer.Cli.Run;

/// <summary>
/// The input's request lines, from a file or stdin, in the input's <see cref="InputShape"/>: JSON lines
/// as read, a JSON array's elements, or text lines and CSV rows put into a template. Stdin can be
/// held in memory so that it can be read twice. A record's index is its position: the line of a JSON
/// line or a text line, the element of an array, the row of a CSV file after its header.
/// </summary>
internal sealed class LineSource
{
    private readonly string _path;
    private readonly TextReader _stdin;
    private readonly InputShape _shape;
    private List<string>? _buffered;

    public LineSource(string path, TextReader stdin, InputShape? shape = null)
    {
        _path = path;
        _stdin = stdin;
        _shape = shape ?? InputShape.JsonLines;
    }

    /// <summary>Lines held in memory.</summary>
    public LineSource(IReadOnlyList<string> lines)
    {
        _path = "-";
        _stdin = TextReader.Null;
        _shape = InputShape.JsonLines;
        _buffered = [.. lines];
    }

    public bool IsStdin => _path == "-";

    /// <summary>How the input is named in messages: stdin, or the input file and its path.</summary>
    public string Name => IsStdin ? "stdin" : $"the input file '{_path}'";

    /// <summary>Reads stdin into memory, so that <see cref="ReadAsync"/> can be called twice.</summary>
    /// <exception cref="IOException">The input cannot be read.</exception>
    public async Task BufferAsync(CancellationToken cancellationToken)
    {
        if (IsStdin && _buffered is null)
        {
            var lines = new List<string>();
            await foreach (string line in BackgroundLineReader.ReadAsync(_stdin, cancellationToken).ConfigureAwait(false))
            {
                lines.Add(line);
            }

            _buffered = lines;
        }
    }

    /// <summary>The request lines, one per record (blank for a blank line, which gets no result).</summary>
    /// <exception cref="IOException">The input cannot be read, or is not what its shape says (a broken JSON array, a CSV header that lacks a column the templates name).</exception>
    public IAsyncEnumerable<string> ReadAsync(CancellationToken cancellationToken) => (Format, _shape.Template) switch
    {
        (InputFormat.Csv, { } template) => InputRecords.CsvAsync(RawLinesAsync(cancellationToken), template, cancellationToken),
        (InputFormat.Text, { } template) => InputRecords.TextAsync(RawLinesAsync(cancellationToken), template, cancellationToken),
        (InputFormat.JsonArray, _) => ArrayAsync(cancellationToken),
        (InputFormat.Auto, _) => AutoAsync(cancellationToken),
        _ => RawLinesAsync(cancellationToken),
    };

    /// <summary>
    /// The format the input is read in: with a template, CSV when asked or for a <c>.csv</c> file, else
    /// text; without one, as asked (<see cref="InputFormat.Auto"/> is settled on the first line read).
    /// </summary>
    public InputFormat Format => _shape switch
    {
        { Template: not null, Format: InputFormat.Csv } => InputFormat.Csv,
        { Template: not null, Format: InputFormat.Auto } when _path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) => InputFormat.Csv,
        { Template: not null } => InputFormat.Text,
        _ => _shape.Format,
    };

    /// <summary>JSON lines, unless the input begins a JSON array (<see cref="StartsArray"/>).</summary>
    private async IAsyncEnumerable<string> AutoAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var blank = new List<string>();
        await using IAsyncEnumerator<string> lines = RawLinesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await lines.MoveNextAsync().ConfigureAwait(false))
        {
            if (string.IsNullOrWhiteSpace(lines.Current))
            {
                blank.Add(lines.Current);
                continue;
            }

            if (StartsArray(lines.Current))
            {
                if (IsStdin && _buffered is null)
                {
                    // What was read of stdin to see the "[" cannot be read again: keep it with the rest.
                    var all = new List<string>(blank) { lines.Current };
                    while (await lines.MoveNextAsync().ConfigureAwait(false))
                    {
                        all.Add(lines.Current);
                    }

                    _buffered = all;
                }

                await foreach (string element in ArrayAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return element;
                }

                yield break;
            }

            foreach (string line in blank)
            {
                yield return line;
            }

            yield return lines.Current;
            while (await lines.MoveNextAsync().ConfigureAwait(false))
            {
                yield return lines.Current;
            }

            yield break;
        }

        foreach (string line in blank)
        {
            yield return line;
        }
    }

    /// <summary>
    /// Whether the input's first line begins a JSON array: it starts with <c>[</c>, and the file is a
    /// <c>.json</c> or the array goes on past the line. A JSON line that happens to be an array (a bad
    /// line, or one nested too deep) stays a line with an error of its own.
    /// </summary>
    private bool StartsArray(string first)
    {
        ReadOnlySpan<char> line = first.AsSpan().Trim();
        return line.StartsWith("[") && (_path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || !line.EndsWith("]"));
    }

    /// <summary>The elements of a JSON array, each as its JSON text; the whole array is checked before the first is given.</summary>
    private async IAsyncEnumerable<string> ArrayAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        byte[]? text = null;
        if (_buffered is not null || IsStdin)
        {
            await BufferAsync(cancellationToken).ConfigureAwait(false);
            text = Encoding.UTF8.GetBytes(string.Join('\n', _buffered!));
        }

        // First through the whole array, so that a broken one sends nothing.
        long count = 0;
        await using (Stream check = Open(text))
        {
            try
            {
                await foreach (JsonElement _ in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(check, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    count++;
                }
            }
            catch (JsonException e)
            {
                throw new IOException($"it is not a JSON array of requests: {e.Message} (after {count} element(s))", e);
            }
        }

        await using Stream stream = Open(text);
        await foreach (JsonElement element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return element.GetRawText();
        }
    }

    private Stream Open(byte[]? text) => text is not null ? new MemoryStream(text, writable: false) : new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    /// <exception cref="IOException">The input cannot be read.</exception>
    private async IAsyncEnumerable<string> RawLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_buffered is not null)
        {
            foreach (string line in _buffered)
            {
                yield return line;
            }

            yield break;
        }

        if (IsStdin)
        {
            // Stdin may be a pipe or a terminal that waits for input and ignores the token.
            await foreach (string line in BackgroundLineReader.ReadAsync(_stdin, cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }

            yield break;
        }

        using var reader = new StreamReader(_path);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            yield return line;
        }
    }
}
