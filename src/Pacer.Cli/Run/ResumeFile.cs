using System.Text;
using System.Text.Json;

namespace Pacer.Cli.Run;

/// <summary>
/// The results an earlier run left in the out file. Keeps each index's first finished result;
/// drops a last line cut short by a crash, unreadable lines, duplicates and cancelled results
/// (those lines run again). <see cref="RewriteAsync"/> rewrites the file without what was dropped.
/// </summary>
internal sealed class ResumeFile
{
    private readonly string _path;
    private readonly Dictionary<long, ResumedResult> _done;

    private ResumeFile(string path, Dictionary<long, ResumedResult> done, bool dropped)
    {
        _path = path;
        _done = done;
        NeedsRewrite = dropped;
    }

    /// <summary>The results kept, by the index of their input line.</summary>
    public IReadOnlyDictionary<long, ResumedResult> Done => _done;

    /// <summary>Whether the file holds lines that are dropped, so that it must be rewritten before results are appended.</summary>
    public bool NeedsRewrite { get; }

    /// <summary>Reads the out file; a file that does not exist holds no results.</summary>
    public static async Task<ResumeFile> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var done = new Dictionary<long, ResumedResult>();
        bool dropped = false;
        if (File.Exists(path))
        {
            await foreach ((long number, string line) in LinesAsync(path, cancellationToken).ConfigureAwait(false))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (TryReadFinished(line, out long index, out ulong? fingerprint) && done.TryAdd(index, new ResumedResult(number, fingerprint)))
                {
                    continue;
                }

                dropped = true;
            }

            dropped |= !EndsWithNewline(path);
        }

        return new ResumeFile(path, done, dropped);
    }

    /// <summary>Rewrites the file with the kept results only, through a file beside it that then takes its place.</summary>
    public async Task RewriteAsync(CancellationToken cancellationToken)
    {
        string temporary = _path + ".resume.tmp";
        var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            await foreach ((long number, string line) in LinesAsync(_path, cancellationToken).ConfigureAwait(false))
            {
                if (TryReadFinished(line, out long index, out _) && _done.TryGetValue(index, out ResumedResult kept) && kept.OutLine == number)
                {
                    await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>The file's complete lines with their numbers from 1: a last line without its line break was cut short, and is left out.</summary>
    private static async IAsyncEnumerable<(long Number, string Line)> LinesAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool complete = EndsWithNewline(path);
        using var reader = new StreamReader(path, new UTF8Encoding(false));
        long number = 0;
        string? line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        while (line is not null)
        {
            number++;
            string? next = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (next is not null || complete)
            {
                yield return (number, line);
            }

            line = next;
        }
    }

    private static bool EndsWithNewline(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length == 0)
        {
            return true;
        }

        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }

    /// <summary>Reads a result line: an object with a whole, non-negative <c>index</c> that was not cancelled, and a well-formed <c>fingerprint</c> if it has one.</summary>
    internal static bool TryReadFinished(string line, out long index, out ulong? fingerprint)
    {
        index = -1;
        fingerprint = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("index", out JsonElement indexElement)
                || indexElement.ValueKind != JsonValueKind.Number
                || !indexElement.TryGetInt64(out index)
                || index < 0)
            {
                return false;
            }

            if (root.TryGetProperty("fingerprint", out JsonElement fingerprintElement))
            {
                if (fingerprintElement.ValueKind != JsonValueKind.String || !LineFingerprint.TryParse(fingerprintElement.GetString(), out ulong read))
                {
                    return false;
                }

                fingerprint = read;
            }

            bool cancelled = root.TryGetProperty("error", out JsonElement error)
                && error.ValueKind == JsonValueKind.String
                && error.GetString() == RunResult.CancelledError;
            return !cancelled;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
