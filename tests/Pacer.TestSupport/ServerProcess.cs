using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Pacer.TestSupport;

/// <summary>What every private server a test starts needs: a free loopback port, and a stop by its pid.</summary>
public static class ServerProcess
{
    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to <paramref name="server"/> by its pid and waits for it to
    /// exit; kills it if it has not within <paramref name="deadline"/>. Disposes it.
    /// </summary>
    public static async Task StopAsync(Process server, string signal, TimeSpan deadline)
    {
        using (Process stop = Process.Start("kill", [$"-{signal}", server.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await stop.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(deadline);
        try
        {
            await server.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            server.Kill();
        }

        server.Dispose();
    }
}
