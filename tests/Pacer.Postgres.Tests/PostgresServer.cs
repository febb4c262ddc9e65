using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Pacer.Postgres.Tests;

/// <summary>
/// A private PostgreSQL for the tests: Debian's server binaries (installed by test.sh), a data
/// folder of its own made by <c>initdb</c>, a free port on loopback, started as a child process and
/// stopped by its pid. As root, it runs as the <c>postgres</c> user, as PostgreSQL requires.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pacer-pg-" + Guid.NewGuid().ToString("N"));
    private readonly bool _asRoot = Environment.UserName == "root";
    private Process? _server;
    private string[] _start = [];

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        string bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "postgres"))).OrderDescending().FirstOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL under /usr/lib/postgresql: ./test.sh installs Debian's postgresql package.");
        string data = Path.Combine(_root, "data");
        string sockets = Path.Combine(_root, "run");
        Directory.CreateDirectory(sockets);
        if (_asRoot)
        {
            Run("chown", "-R", "postgres:postgres", _root);
        }

        Run(AsServerUser(Path.Combine(bin, "initdb"), "-D", data, "-U", "pacer", "--auth=trust", "--encoding=UTF8", "--no-sync"));
        Port = ServerProcess.FreePort();
        _start = AsServerUser(Path.Combine(bin, "postgres"),
            "-D", data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", sockets,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
        await StartAsync();
    }

    /// <summary>Starts the server (again) on its port and data folder, and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        _server = Process.Start(Start(_start)) ?? throw new InvalidOperationException("postgres did not start");
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        Process server = _server;
        await Eventually.HoldsAsync(async () => server.HasExited ? throw new InvalidOperationException($"postgres exited with {server.ExitCode}") : await AcceptsAsync(), "PostgreSQL to accept connections", s_deadline);
    }

    /// <summary>Stops the server by its pid (SIGINT, PostgreSQL's fast shutdown) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await ServerProcess.StopAsync(_server, "INT", s_deadline); // SIGINT: PostgreSQL's fast shutdown
        _server = null;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "pacer", Database = database, Pooling = true, Timeout = 30 }.ToString();

    /// <summary>A new, empty database of its own.</summary>
    public string NewDatabase()
    {
        string name = "t_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        create.ExecuteNonQuery();
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>As root, the command runs as the postgres user (setpriv replaces itself with it, so the pid is the server's).</summary>
    private string[] AsServerUser(params string[] command) =>
        _asRoot ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. command] : command;

    private static ProcessStartInfo Start(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in command[1..])
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static void Run(params string[] command)
    {
        using Process process = Process.Start(Start(command)) ?? throw new InvalidOperationException($"{command[0]} did not start");
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode}: {output}");
        }
    }
}

/// <summary>One private PostgreSQL for every test class that names this collection.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgres : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
