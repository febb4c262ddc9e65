using System.Collections.Concurrent;

namespace Pacer.Server.Tests;

/// <summary>
/// A service that holds every request until the test opens it: what is running stays running for
/// as long as the test needs, with no timing involved. Records each request's target.
/// </summary>
internal sealed class Gate : IAsyncDisposable
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _targets = new();
    private readonly RawHttpServer _server;

    public Gate(bool open = false)
    {
        if (open)
        {
            _open.TrySetResult();
        }

        _server = RawHttpServer.Answering(async (request, connection) =>
        {
            _targets.Enqueue(request.Target);
            await _open.Task.WaitAsync(connection.Stopping);
            await connection.RespondAsync(200, "{\"ok\":true}", "Content-Type: application/json");
        });
    }

    public Uri BaseUri => _server.BaseUri;

    /// <summary>The targets of every request received, in order.</summary>
    public IReadOnlyList<string> Targets => [.. _targets];

    public IReadOnlyList<RawRequest> Requests => _server.Requests;

    public void Open() => _open.TrySetResult();

    public ValueTask DisposeAsync()
    {
        Open();
        return _server.DisposeAsync();
    }
}
