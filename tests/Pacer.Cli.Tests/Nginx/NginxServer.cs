using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Pacer.Cli.Tests.Nginx;

/// <summary>
/// A private nginx on a loopback port: its own prefix folder (configuration, logs, temporary files),
/// its own pid, stopped by that pid. It keeps a rate with <c>limit_req</c> and a concurrency with
/// <c>limit_conn</c>, both refusing with 429 and <c>Retry-After: 1</c>, and answers each accepted
/// request after <see cref="NginxLimits.Latency"/> (the echo module's <c>echo_sleep</c>). Its access
/// log, with start and end times in milliseconds, is the witness tests judge by.
/// </summary>
internal sealed class NginxServer : IDisposable
{
    private readonly Process _process;

    private NginxServer(string prefix, int port, Process process)
    {
        Prefix = prefix;
        Port = port;
        _process = process;
    }

    public string Prefix { get; }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    private string AccessLog => Path.Combine(Prefix, "logs", "access.log");

    /// <summary>Starts nginx and waits until it answers.</summary>
    public static async Task<NginxServer> StartAsync(NginxLimits limits)
    {
        string prefix = Path.Combine(Path.GetTempPath(), "pacer-nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        int port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), limits.Configuration(prefix, port));
        var start = new ProcessStartInfo("nginx", ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-e", Path.Combine(prefix, "logs", "error.log")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var server = new NginxServer(prefix, port, process);
        try
        {
            await Eventually.HoldsAsync(async () => process.HasExited || await server.AnswersAsync(), "nginx to listen", TimeSpan.FromSeconds(30));
            if (process.HasExited)
            {
                string log = File.Exists(Path.Combine(prefix, "logs", "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix, "logs", "error.log")) : "";
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {log}");
            }

            // The probe is not part of any test: the log starts empty.
            await File.WriteAllTextAsync(server.AccessLog, "");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Every request nginx logged since it started: when it arrived and ended (ms since the epoch), and its status.</summary>
    public async Task<IReadOnlyList<NginxRequest>> ReadLogAsync()
    {
        var requests = new List<NginxRequest>();
        using var stream = new FileStream(AccessLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync() is { } line)
        {
            // "$msec $request_time $status $request_uri": end in seconds with milliseconds, duration, status.
            string[] parts = line.Split(' ');
            if (parts.Length < 4 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double end)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double took)
                || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out int status))
            {
                continue;
            }

            requests.Add(new NginxRequest((end - took) * 1000, end * 1000, status, parts[3]));
        }

        return requests;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Prefix, recursive: true);
        }
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One request as nginx logged it: arrival and end in milliseconds, its status and its URI.</summary>
internal sealed record NginxRequest(double StartMs, double EndMs, int Status, string Uri);

/// <summary>What a private nginx allows: a rate with a burst (nodelay), a concurrency, and how long each accepted answer takes.</summary>
internal sealed record NginxLimits(int RatePerSecond, int Burst, int Concurrency, TimeSpan Latency)
{
    /// <summary>nginx's configuration for these limits, every path under <paramref name="prefix"/>.</summary>
    public string Configuration(string prefix, int port) => string.Create(CultureInfo.InvariantCulture, $$"""
        load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
        daemon off;
        master_process on;
        worker_processes 1;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/logs/error.log warn;
        events { worker_connections 1024; }
        http {
            log_format pacer '$msec $request_time $status $request_uri';
            access_log {{prefix}}/logs/access.log pacer;
            client_body_temp_path {{prefix}}/temp/body;
            proxy_temp_path {{prefix}}/temp/proxy;
            fastcgi_temp_path {{prefix}}/temp/fastcgi;
            uwsgi_temp_path {{prefix}}/temp/uwsgi;
            scgi_temp_path {{prefix}}/temp/scgi;
            limit_req_zone $server_name zone=rate:1m rate={{RatePerSecond}}r/s;
            limit_conn_zone $server_name zone=conn:1m;
            limit_req_status 429;
            limit_conn_status 429;
            server {
                listen 127.0.0.1:{{port}};
                server_name pacer;
                location / {
                    limit_req zone=rate burst={{Burst}} nodelay;
                    limit_conn conn {{Concurrency}};
                    error_page 429 = @refused;
                    default_type application/json;
                    echo_sleep {{Latency.TotalSeconds:0.###}};
                    echo '{"ok":true}';
                }

                # Only a refusal says when to come back, as API gateways in front of nginx do.
                location @refused {
                    add_header Retry-After 1 always;
                    default_type application/json;
                    return 429 '{"error":"too many requests"}';
                }
            }
        }
        """);
}
