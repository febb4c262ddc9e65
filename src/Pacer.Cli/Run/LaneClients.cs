using System.Collections.Concurrent;
using Pacer.Cli.Config;
using Pacer.Http;

namespace Pacer.Cli.Run;

/// <summary>
/// The HTTP clients of a run: one connection pool per lane, shared by every priority its requests
/// come with, so that the connections a run opens are bounded by its lanes, not by the values in
/// its input.
/// </summary>
/// <remarks>
/// A Pacer handler sends at one priority, so each priority a lane's requests name gets its own
/// client and handler; all of them send through the lane's one <see cref="SocketsHttpHandler"/>.
/// A lane with a concurrency limit (its own or an ancestor's) opens no more connections per server
/// than that limit: its requests hold a slot until their body is read, so no more are in use at
/// once. A lane without one is bounded by <c>--window</c>, the most requests open at once.
/// </remarks>
internal sealed class LaneClients(PacerEngine engine, IReadOnlyDictionary<string, LaneConfig> lanes, IReadOnlyDictionary<string, LaneTally> tallies, long maxBody, TimeProvider time) : IDisposable
{
    private static readonly HttpRequestOptionsKey<long> CostKey = new("pacer.cost");

    /// <summary>Set on a request whose cost was estimated from its body: its answer's usage corrects it.</summary>
    private static readonly HttpRequestOptionsKey<bool> EstimatedKey = new("pacer.cost-estimated");

    /// <summary>Guards the creation of clients and pools, so that each is made once.</summary>
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<(string Lane, int Priority), HttpClient> _clients = new();
    private readonly Dictionary<string, HttpMessageHandler> _pools = [];

    /// <summary>The whole answer's time limit in <paramref name="lane"/>: the lane's timeout, else the default.</summary>
    public TimeSpan TimeoutOf(string lane) => lanes[lane].Timeout ?? RunSettings.DefaultTimeout;

    /// <summary>The client that sends requests of <paramref name="lane"/> at <paramref name="priority"/>.</summary>
    public HttpClient For(string lane, int priority)
    {
        if (_clients.TryGetValue((lane, priority), out HttpClient? client))
        {
            return client;
        }

        lock (_gate)
        {
            if (!_clients.TryGetValue((lane, priority), out client))
            {
                client = NewClient(lane, priority, PoolOf(lane));
                _clients[(lane, priority)] = client;
            }

            return client;
        }
    }

    /// <summary>Sets what the Pacer handler reads off a request: its cost, whether that is an estimate, and the trace the run reads its result from.</summary>
    public static void Prepare(HttpRequestMessage request, RequestSpec spec, RequestTrace trace)
    {
        request.Options.Set(CostKey, spec.Cost);
        if (spec.CostIsEstimate)
        {
            request.Options.Set(EstimatedKey, true);
        }

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
        response.RequestMessage?.Options.TryGetValue(EstimatedKey, out bool estimated) == true && estimated ? TokenUsage.Read(response, body) : null;

    private HttpClient NewClient(string lane, int priority, HttpMessageHandler pool)
    {
        LaneConfig config = lanes[lane];
        var options = new PacerHttpOptions
        {
            Lane = lane,
            CostEstimator = r => r.Options.TryGetValue(CostKey, out long cost) ? cost : 1,
            CostFromResponse = config.Limits.CostRates.Count == 0 ? null : CorrectedCost,
            Priority = priority,
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
            var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
            if (ConcurrencyOf(lane) is { } concurrency)
            {
                sockets.MaxConnectionsPerServer = concurrency;
            }

            pool = new AttemptCounter(new BodyBoundsHandler(sockets, maxBody, TimeoutOf(lane), time), tallies[lane], time);
            _pools[lane] = pool;
        }

        return pool;
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
