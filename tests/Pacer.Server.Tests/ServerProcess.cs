using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pacer.Server.Tests;

/// <summary>
/// <c>pacer serve</c> as a child process (<c>dotnet Pacer.Cli.dll serve</c>), on a port of its own
/// (it binds port 0 and says which it got), with its own folder, config and database. Killed by
/// its pid on dispose if it still runs.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, string folder)
    {
        _process = process;
        Folder = folder;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync().ContinueWith(_ => _listening.TrySetException(new InvalidOperationException($"pacer serve exited with {process.ExitCode}:\n{Error}")), TaskScheduler.Default);
    }

    public string Folder { get; }

    public int Id => _process.Id;

    public HttpClient Http { get; private set; } = null!;

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

    public bool HasExited => _process.HasExited;

    /// <summary>Writes <paramref name="config"/> to pacer.yaml in <paramref name="folder"/> and starts the server on it, with pacer.db beside it.</summary>
    public static async Task<ServerProcess> StartAsync(string folder, string config, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        File.WriteAllText(Path.Combine(folder, "pacer.yaml"), config);
        string[] listen = args.Contains("--urls") ? [] : ["--urls", "http://127.0.0.1:0"];
        ServerProcess server = Launch(folder, environment, ["serve", "--config", Path.Combine(folder, "pacer.yaml"), "--db", Path.Combine(folder, "pacer.db"), .. listen, .. args]);
        Uri address;
        try
        {
            address = await server._listening.Task.WaitAsync(Deadline);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        // A server listening on every address is reached on loopback.
        address = new UriBuilder(address) { Host = address.Host == "0.0.0.0" ? "127.0.0.1" : address.Host }.Uri;
        server.Http = new HttpClient { BaseAddress = address, Timeout = Deadline };
        if (environment?.GetValueOrDefault("PACER_API_KEY") is { } key)
        {
            server.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return server;
    }

    /// <summary>Starts <c>pacer demo --web</c> in <paramref name="folder"/> on a port of its own, with <paramref name="args"/> added.</summary>
    public static async Task<ServerProcess> StartDemoAsync(string folder, params string[] args)
    {
        ServerProcess server = Launch(folder, null, ["demo", "--web", "--urls", "http://127.0.0.1:0", .. args]);
        try
        {
            server.Http = new HttpClient { BaseAddress = await server._listening.Task.WaitAsync(Deadline), Timeout = Deadline };
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Starts <c>pacer</c> with <paramref name="args"/> and waits for it to exit: for the starts that must be refused.</summary>
    public static async Task<(int ExitCode, string Error)> RunToExitAsync(string folder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await using ServerProcess server = Launch(folder, environment, args);
        using var deadline = new CancellationTokenSource(Deadline);
        await server._process.WaitForExitAsync(deadline.Token);
        server._process.WaitForExit();
        return (server._process.ExitCode, server.Error);
    }

    private static ServerProcess Launch(string folder, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Pacer.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} not found next to the test assembly");
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.Environment.Remove("PACER_API_KEY");
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("pacer did not start"), folder);
    }

    /// <summary>Sends a signal (KILL, TERM) by pid, and waits for the process to end.</summary>
    public async Task SignalAndWaitAsync(string signal)
    {
        using (Process kill = Process.Start("kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(Deadline);
        await _process.WaitForExitAsync(deadline.Token);
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Submits a run of <paramref name="lines"/> as JSON lines; returns its id.</summary>
    public async Task<string> SubmitAsync(IEnumerable<string> lines, string query = "")
    {
        using HttpResponseMessage response = await PostLinesAsync(lines, query);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task<HttpResponseMessage> PostLinesAsync(IEnumerable<string> lines, string query = "", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs" + query)
        {
            Content = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8, "application/x-ndjson"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await Http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> PostJsonAsync(string path)
    {
        using HttpResponseMessage response = await Http.PostAsync(path, null);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The results of a run as parsed lines.</summary>
    public async Task<List<JsonElement>> ResultsAsync(string run, string query = "")
    {
        string text = await Http.GetStringAsync($"/api/runs/{run}/results{query}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    /// <summary>Waits until the run has <paramref name="status"/>, polling its state; fails with its last state after <see cref="Deadline"/>.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string run, params string[] status)
    {
        JsonElement last = default;
        await WaitUntilAsync(async () =>
        {
            last = await GetJsonAsync($"/api/runs/{run}");
            return status.Contains(last.GetProperty("status").GetString());
        }, $"run {run} to be {string.Join(" or ", status)}");
        return last;
    }

    /// <summary>Waits on a condition (<see cref="Eventually"/>), for up to <see cref="Deadline"/>.</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Eventually.HoldsAsync(condition, what, Deadline);

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started, or has gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_error)
        {
            _error.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"^pacer serve: listening on (http://[^,; ]+)")]
    private static partial Regex ListeningLine();
}
