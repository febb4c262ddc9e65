using System.Collections.Concurrent;
using Pacer.Cli.Config;
using Pacer.Http;

namespace Pacer.Cli.Run;

/// <summary>
/// The HTTP clients of a run: one client, one Pacer handler and one connection pool per lane, so
/// that the connections a run opens are bounded by its lanes, not by the values in its input. Each
/// request carries its own priority and cost in its <see cref="PacerRequestOptions"/>.
/// </summary>
/// <remarks>
/// A lane with a concurrency limit (its own or an ancestor's) opens no more connections per server
/// than that limit: its requests hold a slot until their body is read, so no more are in use at
/// once. A lane without one is bounded by <c>--window</c>, the most requests open at once. Where
/// limits may change while the clients live (<c>pacer serve</c>'s <c>PATCH /api/lanes</c>), the
/// pools are left unbounded: the engine's slots bound the connections in use.
/// </remarks>
internal sealed class LaneClients(
    PacerEngine engine, IReadOnlyDictionary<string, LaneConfig> lanes, IReadOnlyDictionary<string, LaneTally> tallies, long maxBody, TimeProvider time, bool limitsMayChange = false) : IDisposable
{
    /// <summary>Guards the creation of clients and pools, so that each is made once.</summary>
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpMessageHandler> _pools = [];

    /// <summary>By lane: set once the first bytes of one of its requests are written to a connection.</summary>
    private readonly Dictionary<string, TaskCompletionSource> _sent = [];

    /// <summary>The whole answer's time limit in <paramref name="lane"/>: the lane's timeout, else the default.</summary>
    public TimeSpan TimeoutOf(string lane) => lanes[lane].Timeout ?? RunSettings.DefaultTimeout;

    /// <summary>The client that sends the requests of <paramref name="lane"/>.</summary>
    public HttpClient For(string lane)
    {
        if (_clients.TryGetValue(lane, out HttpClient? client))
        {
            return client;
        }

        lock (_gate)
        {
            if (!_clients.TryGetValue(lane, out client))
            {
                client = NewClient(lane, PoolOf(lane));
                _clients[lane] = client;
            }

            return client;
        }
    }

    /// <summary>
    /// Completes once the first bytes of a request of <paramref name="lane"/> have been written to a
    /// connection: its first request has left, its connection opened and its path compiled.
    /// </summary>
    public Task FirstSent(string lane)
    {
        lock (_gate)
        {
            return SentSignal(lane).Task;
        }
    }

    /// <summary>Sets what the Pacer handler reads off a request (its priority and cost, public options) and the trace the run reads its result from.</summary>
    public static void Prepare(HttpRequestMessage request, RequestSpec spec, RequestTrace trace)
    {
        request.SetPacerOptions(new PacerRequestOptions { Priority = spec.Priority, Cost = spec.Cost });
        trace.CostIsEstimate = spec.CostIsEstimate;
        request.Options.Set(RequestTrace.Key, trace);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (HttpClient client in _clients.Values)
            {
                client.Dispose();
            }

            // Each pool once, with the handlers in it; the Pacer handlers above it own nothing else.
            foreach (HttpMessageHandler pool in _pools.Values)
            {
                pool.Dispose();
            }
        }
    }

    /// <summary>The tokens an answer reports using, for a request whose cost was estimated; else the estimate stands.</summary>
    private static long? CorrectedCost(HttpResponseMessage response, ReadOnlyMemory<byte> body) =>
        response.RequestMessage?.Options.TryGetValue(RequestTrace.Key, out RequestTrace? trace) == true && trace.CostIsEstimate ? TokenUsage.Read(response, body) : null;

    private HttpClient NewClient(string lane, HttpMessageHandler pool)
    {
        LaneConfig config = lanes[lane];
        var options = new PacerHttpOptions
        {
            Lane = lane,
            CostFromResponse = config.Limits.CostRates.Count == 0 ? null : CorrectedCost,
            AttemptTimeout = TimeoutOf(lane),
            Retry = config.Retry.ToPolicy(),
            RetryableStatusCodes = config.Retry.StatusCodes(),
        };

        // Not disposed with the client: the pool under it is the lane's, disposed once in Dispose.
        return new HttpClient(new PacerHttpHandler(engine, options, pool), disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The lane's handlers under the Pacer handler, around its one connection pool. Called under the gate.</summary>
    private HttpMessageHandler PoolOf(string lane)
    {
        if (!_pools.TryGetValue(lane, out HttpMessageHandler? pool))
        {
            TaskCompletionSource sent = SentSignal(lane);
            var sockets = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),

                // Until the lane's first request has left, its connections tell when they first write.
                PlaintextStreamFilter = (context, _) => ValueTask.FromResult(sent.Task.IsCompleted ? context.PlaintextStream : new FirstWriteStream(context.PlaintextStream, sent)),
            };
            if (!limitsMayChange && ConcurrencyOf(lane) is { } concurrency)
            {
                sockets.MaxConnectionsPerServer = concurrency;
            }

            pool = new AttemptCounter(new BodyBoundsHandler(sockets, maxBody, TimeoutOf(lane), time), tallies[lane], time);
            _pools[lane] = pool;
        }

        return pool;
    }

    /// <summary>The signal of the lane's first request leaving. Called under the gate.</summary>
    private TaskCompletionSource SentSignal(string lane)
    {
        if (!_sent.TryGetValue(lane, out TaskCompletionSource? sent))
        {
            sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _sent[lane] = sent;
        }

        return sent;
    }

    /// <summary>The least concurrency limit of the lane and its ancestors (<c>a</c> for <c>a/b</c>); null without one.</summary>
    private int? ConcurrencyOf(string lane)
    {
        int? least = null;
        for (string? name = lane; name is not null; name = name.LastIndexOf('/') is var slash and > 0 ? name[..slash] : null)
        {
            if (lanes.TryGetValue(name, out LaneConfig? config) && config.Limits.MaxConcurrency is { } max)
            {
                least = Math.Min(least ?? max, max);
            }
        }

        return least;
    }
}
