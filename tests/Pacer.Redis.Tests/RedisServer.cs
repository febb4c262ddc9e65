using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Pacer.Redis.Tests;

/// <summary>
/// A private Redis for the tests: Debian's <c>redis-server</c> (installed by test.sh) on a free
/// loopback port, with a data folder of its own, started as a child process and stopped by its
/// pid. It can be stopped and started again on the same port, as a Redis that restarts.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pacer-redis-" + Guid.NewGuid().ToString("N"));
    private Process? _server;

    public int Port { get; private set; }

    /// <summary>The address to give <see cref="RedisLaneState.ConnectAsync"/>.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"redis://127.0.0.1:{Port}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        Port = ServerProcess.FreePort();
        await StartAsync();
    }

    /// <summary>Starts the server (again) on its port.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _root,
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--pidfile", Path.Combine(_root, "redis.pid")])
        {
            start.ArgumentList.Add(arg);
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start: ./test.sh installs Debian's redis-server package.");
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        await Eventually.HoldsAsync(async () => _server.HasExited ? throw new InvalidOperationException($"redis-server exited with {_server.ExitCode}") : await AnswersAsync(), "Redis to answer", s_deadline);
    }

    /// <summary>Stops the server by its pid (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await ServerProcess.StopAsync(_server, "TERM", s_deadline);
        _server = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},connectTimeout=1000"));
            await redis.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }
}

/// <summary>One private Redis for every test class that names this collection.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRedis : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
