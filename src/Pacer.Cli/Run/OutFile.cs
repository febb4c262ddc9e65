using System.Text;

namespace Pacer.Cli.Run;

/// <summary>
/// The <c>--out</c> file of a run: claimed (locked, and checked that it may be written) before
/// anything is sent, and opened, truncated unless resumed, only when nothing can refuse the run any more.
/// </summary>
internal sealed class OutFile : IDisposable
{
    private readonly OutFileLock _lock;

    private OutFile(string path, OutFileLock taken)
    {
        Path = path;
        _lock = taken;
    }

    public string Path { get; }

    /// <summary>
    /// Takes the out file's lock and checks that it may be written: not a folder, and, without
    /// <c>--resume</c> or <c>--overwrite</c>, not holding results already. Changes nothing in it.
    /// </summary>
    public static bool TryClaim(string path, bool resume, bool overwrite, out OutFile? claimed, out string? error)
    {
        claimed = null;
        if (Directory.Exists(path))
        {
            error = $"The out file '{path}' is a folder; give a file.";
            return false;
        }

        if (!OutFileLock.TryTake(path, out OutFileLock? taken, out error))
        {
            return false;
        }

        if (!resume && !overwrite && File.Exists(path) && new FileInfo(path).Length > 0)
        {
            taken!.Dispose();
            error = $"'{path}' already holds results. Add --resume to keep them and run only the lines without one, or --overwrite to start over.";
            return false;
        }

        claimed = new OutFile(path, taken!);
        return true;
    }

    /// <summary>Opens the file for the results: appended to it with <paramref name="append"/>, else replacing what it holds.</summary>
    public bool TryOpenWriter(bool append, out TextWriter? writer, out string? error)
    {
        writer = null;
        error = null;
        try
        {
            var stream = new FileStream(Path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
            writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"Cannot write the out file '{Path}': {e.Message}";
            return false;
        }
    }

    /// <summary>Lets the lock go.</summary>
    public void Dispose() => _lock.Dispose();
}
