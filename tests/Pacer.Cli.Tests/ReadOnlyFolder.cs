using System.Diagnostics;

namespace Pacer.Cli.Tests;

/// <summary>
/// A folder nothing can be written in, for root too: bound read-only onto itself
/// (<c>mount --bind -o ro</c>) when the test runs as root, else without write permission.
/// </summary>
internal sealed class ReadOnlyFolder : IDisposable
{
    private readonly bool _mounted;

    private ReadOnlyFolder(string path, bool mounted)
    {
        Path = path;
        _mounted = mounted;
    }

    public string Path { get; }

    public static async Task<ReadOnlyFolder> MakeAsync(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("A read-only folder is made the Unix way.");
        }

        Directory.CreateDirectory(path);
        if (Environment.UserName != "root")
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return new ReadOnlyFolder(path, mounted: false);
        }

        Assert.True(await RunAsync("mount", "--bind", "-o", "ro", path, path) == 0, "As root, the test needs `mount --bind -o ro` to make a folder root cannot write.");
        return new ReadOnlyFolder(path, mounted: true);
    }

    public void Dispose()
    {
        if (_mounted)
        {
            RunAsync("umount", Path).GetAwaiter().GetResult();
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static async Task<int> RunAsync(string command, params string[] args)
    {
        using Process process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, UseShellExecute = false })!;
        await process.WaitForExitAsync().DefaultTimeout();
        return process.ExitCode;
    }
}
