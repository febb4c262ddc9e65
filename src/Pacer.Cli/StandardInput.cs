using System.Runtime.InteropServices;
using System.Text;

namespace Pacer.Cli;

/// <summary>The process's standard input as a reader of UTF-8 lines; one that fails to read when there was none.</summary>
internal static class StandardInput
{
    private const int GetDescriptorFlags = 1; // F_GETFD, the same on Linux and macOS
    private const int CloseOnExec = 1;        // FD_CLOEXEC

    /// <summary>
    /// Opens standard input; a reader whose reads fail naming the cause when the process started
    /// with file descriptor 0 closed (<c>&lt;&amp;-</c>).
    /// </summary>
    /// <remarks>
    /// With descriptor 0 closed, the runtime's own first pipe takes its number. Reading it would wait
    /// forever and swallow the bytes the runtime passes itself, signals among them: SIGTERM would go
    /// unseen. A descriptor inherited across exec never has close-on-exec set (it would have been
    /// closed), while the runtime opens every one of its own with it: so a descriptor 0 that is not
    /// open, or is close-on-exec, is not the input this process was given.
    /// </remarks>
    public static TextReader Open()
    {
        if (!OperatingSystem.IsWindows() && !IsInherited(0))
        {
            return new ClosedInputReader();
        }

        return new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
    }

    private static bool IsInherited(int descriptor)
    {
        int flags = Fcntl(descriptor, GetDescriptorFlags);
        return flags >= 0 && (flags & CloseOnExec) == 0;
    }

    // A plain DllImport: its arguments are blittable, and LibraryImport would need unsafe code allowed.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fcntl(int descriptor, int command);
#pragma warning restore SYSLIB1054

    /// <summary>Standard input that was closed when the process started: every read fails, naming the cause.</summary>
    private sealed class ClosedInputReader : TextReader
    {
        public override int Peek() => throw Closed();

        public override int Read() => throw Closed();

        public override string? ReadLine() => throw Closed();

        private static IOException Closed() => new("standard input is closed (file descriptor 0 was not open when pacer started); give an input file, or pipe the lines in.");
    }
}
