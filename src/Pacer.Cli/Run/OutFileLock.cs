using System.Globalization;
using System.Text;

namespace Pacer.Cli.Run;

/// <summary>
/// Keeps two runs from writing one out file. A run holds <c>OUT.lock</c>, beside the out file and
/// open exclusively, from before it reads or replaces the out file until it ends; the lock file is
/// deleted then. A second run finds it held and names the first by its process id.
/// </summary>
/// <remarks>
/// The lock is a file of its own so that the out file stays readable while a run writes it: on
/// Unix, .NET takes an advisory lock when it opens a file for reading, which an exclusive lock on
/// the out file itself would refuse. Being advisory, the lock keeps out other runs, not other
/// programs. A lock file left by a run that was killed is not held by anyone: the next run takes it.
/// The holder is found in <c>/proc</c> (Linux): the process with the lock file open; elsewhere the
/// message names no process.
/// </remarks>
internal sealed class OutFileLock : IDisposable
{
    private const int WouldBlockLinux = 11;
    private const int WouldBlockMac = 35;
    private const int SharingViolationWindows = unchecked((int)0x80070020);

    private readonly FileStream? _held;

    private OutFileLock(FileStream? held) => _held = held;

    /// <summary>The lock file of <paramref name="outPath"/>.</summary>
    public static string PathOf(string outPath) => Path.GetFullPath(outPath) + ".lock";

    /// <summary>
    /// Takes the lock of <paramref name="outPath"/>. Fails, with a message naming the other run, if
    /// it is held; or naming the cause if no lock file can be made and the out file does not exist
    /// either (its folder is missing or cannot be written). An out file that exists where no lock
    /// file can be made (a device such as <c>/dev/stdout</c>) is written without one.
    /// </summary>
    public static bool TryTake(string outPath, out OutFileLock? taken, out string? error)
    {
        string path = PathOf(outPath);
        taken = null;
        error = null;
        try
        {
            var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            // For whoever looks: the lock is the open file, not its content.
            held.SetLength(0);
            held.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"pacer run, pid {Environment.ProcessId}\n")));
            held.Flush();
            taken = new OutFileLock(held);
            return true;
        }
        catch (IOException e) when (IsHeld(e))
        {
            string holder = Holders(path) is { Count: > 0 } pids ? $" (pid {string.Join(", ", pids)})" : "";
            error = $"'{outPath}' is being written by another pacer run{holder}, which holds '{path}'. Nothing was sent. Let that run end, or give another --out.";
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(outPath))
            {
                taken = new OutFileLock(null);
                return true;
            }

            error = e is DirectoryNotFoundException
                ? $"Cannot write the out file '{outPath}': its folder '{Path.GetDirectoryName(Path.GetFullPath(outPath))}' does not exist."
                : $"Cannot write the out file '{outPath}': its lock file cannot be made: {e.Message}";
            return false;
        }
    }

    /// <summary>Lets the lock go and deletes the lock file.</summary>
    public void Dispose() => _held?.Dispose();

    private static bool IsHeld(IOException e) =>
        e.GetType() == typeof(IOException) && e.HResult is WouldBlockLinux or WouldBlockMac or SharingViolationWindows;

    /// <summary>The processes that have <paramref name="path"/> open, from <c>/proc/PID/fd</c>; none where there is no such place.</summary>
    private static List<int> Holders(string path)
    {
        var pids = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return pids;
        }

        // /proc names the file by its real path, with the folder's links resolved.
        string? folder = Path.GetDirectoryName(path);
        string real = folder is not null && Directory.ResolveLinkTarget(folder, returnFinalTarget: true) is { } target
            ? Path.Combine(target.FullName, Path.GetFileName(path))
            : path;
        foreach (string process in Entries("/proc"))
        {
            if (int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && Entries(Path.Combine(process, "fd")).Any(fd => LinkTarget(fd) is { } open && (open == path || open == real)))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>A folder's entries; none if it cannot be read (another user's process, or one that has ended).</summary>
    private static string[] Entries(string folder)
    {
        try
        {
            return Directory.GetFileSystemEntries(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? LinkTarget(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
