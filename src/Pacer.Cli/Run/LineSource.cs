using System.Runtime.CompilerServices;

namespace Pacer.Cli.Run;

/// <summary>The input's lines, from a file or stdin; stdin can be held in memory so that it can be read twice.</summary>
internal sealed class LineSource
{
    private readonly string _path;
    private readonly TextReader _stdin;
    private List<string>? _buffered;

    public LineSource(string path, TextReader stdin)
    {
        _path = path;
        _stdin = stdin;
    }

    /// <summary>Lines held in memory.</summary>
    public LineSource(IReadOnlyList<string> lines)
    {
        _path = "-";
        _stdin = TextReader.Null;
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

    /// <exception cref="IOException">The input cannot be read.</exception>
    public async IAsyncEnumerable<string> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
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
