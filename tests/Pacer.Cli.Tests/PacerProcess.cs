using System.Diagnostics;
using System.Text;

namespace Pacer.Cli.Tests;

/// <summary>
/// The built <c>pacer</c> as a child process (<c>dotnet Pacer.Cli.dll ...</c>), for what only a real
/// process shows: signals, a closed descriptor, two runs at once. Its output is collected; it is
/// killed on dispose if it still runs.
/// </summary>
internal sealed class PacerProcess : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private PacerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>How the child's standard input is given.</summary>
    public enum Input
    {
        /// <summary>A pipe the test writes to and keeps open until it closes <see cref="Stdin"/>.</summary>
        Pipe,

        /// <summary>A pipe closed at once: stdin is empty.</summary>
        Empty,

        /// <summary>File descriptor 0 closed (<c>&lt;&amp;-</c>), through <c>/bin/sh -c 'exec ... &lt;&amp;-'</c>, which keeps the pid.</summary>
        Closed,
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The child's stdin, with <see cref="Input.Pipe"/>.</summary>
    public StreamWriter Stdin => _process.StandardInput;

    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static PacerProcess Start(Input input, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Pacer.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} not found next to the test assembly");
        var start = new ProcessStartInfo(input == Input.Closed ? "/bin/sh" : DotnetHost())
        {
            RedirectStandardInput = input != Input.Closed,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (input == Input.Closed)
        {
            foreach (string arg in (string[])["-c", "exec \"$0\" \"$@\" <&-", DotnetHost()])
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new PacerProcess(Process.Start(start) ?? throw new InvalidOperationException("pacer did not start"));
        if (input == Input.Empty)
        {
            process.Stdin.Close();
        }

        return process;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT) with <c>kill</c>, as a user or a supervisor would.</summary>
    public async Task SignalAsync(string signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().DefaultTimeout();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the child to exit and returns its exit code; fails, with what it wrote on stderr, if it has not within <see cref="Deadline"/>.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"pacer (pid {Id}) has not exited within {Deadline}; stderr so far:\n{Error}");
        }

        // The output events may trail the exit: WaitForExit() without a timeout waits for them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        _process.Dispose();
    }

    /// <summary>The <c>dotnet</c> host running this test, so that the child uses the same runtime.</summary>
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.Append(line).Append('\n');
        }
    }
}
