using System.Text;
using System.Text.Json;

namespace Pacer.Cli.Run;

/// <summary>
/// Reads the results an earlier run left in the out file. Keeps each index's first finished
/// result; drops a line cut short by a crash, duplicates and cancelled results (those lines run
/// again), rewriting the file when it drops anything.
/// </summary>
internal static class ResumeFile
{
    public static async Task<HashSet<long>> PrepareAsync(string path, CancellationToken cancellationToken)
    {
        var done = new HashSet<long>();
        if (!File.Exists(path))
        {
            return done;
        }

        string text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var kept = new StringBuilder(text.Length);
        bool dropped = text.Length > 0 && !text.EndsWith('\n');
        foreach (string line in text.Split('\n'))
        {
            string trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (TryReadFinished(trimmed, out long index) && done.Add(index))
            {
                kept.Append(trimmed).Append('\n');
            }
            else
            {
                dropped = true;
            }
        }

        if (dropped)
        {
            string temporary = path + ".resume.tmp";
            await File.WriteAllTextAsync(temporary, kept.ToString(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }

        return done;
    }

    private static bool TryReadFinished(string line, out long index)
    {
        index = -1;
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("index", out JsonElement indexElement)
                || !indexElement.TryGetInt64(out index)
                || index < 0)
            {
                return false;
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
