using System.Globalization;
using System.Reflection;
using StackExchange.Redis;

namespace Pacer.Redis;

/// <summary>
/// Lane state in Redis: every process whose lane names the same Redis and lane keeps its request
/// rates, cost rates, quota and concurrency limit together. Each decision is one Lua script (no Redis modules),
/// timed by Redis's <c>TIME</c>, never by a process's clock.
/// </summary>
/// <remarks>
/// A lane's rates live in the hash <c>{prefix}{lane}:rates</c> and its concurrency leases in the
/// sorted set <c>{prefix}{lane}:slots</c>, both expiring once they hold nothing that matters;
/// <c>{prefix}~since</c> says when the state began (in a Redis restarted without it, a lane counts as
/// spent for 1.05 s, as starts granted before may still be in use). The
/// connection reconnects by itself: while Redis is down every call fails at once, and engines
/// pause the lane until it answers again.
/// </remarks>
public sealed class RedisLaneState : ILaneState, IAsyncDisposable, IDisposable
{
    /// <summary>The prefix of every key, unless another is given.</summary>
    public const string DefaultKeyPrefix = "pacer:lane:";

    private static readonly string s_reserve = Script("reserve_starts.lua");
    private static readonly string s_acquire = Script("acquire_slots.lua");
    private static readonly string s_renew = Script("renew_slots.lua");

    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly string _prefix;

    /// <summary>Keeps lane state in the Redis that <paramref name="redis"/> is connected to.</summary>
    /// <param name="redis">A connection, left open when this store is disposed.</param>
    /// <param name="keyPrefix">The prefix of every key this store writes.</param>
    public RedisLaneState(IConnectionMultiplexer redis, string keyPrefix = DefaultKeyPrefix)
        : this(redis, keyPrefix, ownsConnection: false)
    {
    }

    private RedisLaneState(IConnectionMultiplexer redis, string keyPrefix, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _redis = redis;
        _prefix = keyPrefix;
        _ownsConnection = ownsConnection;
    }

    /// <summary>
    /// Connects to Redis at <paramref name="address"/>: a <c>redis://[user:password@]host[:port][/database]</c>
    /// URL (<c>rediss://</c> for TLS), or a StackExchange.Redis configuration string such as
    /// <c>localhost:6379,password=…</c>. The store starts even while Redis is down, and reconnects by itself.
    /// </summary>
    /// <exception cref="ArgumentException">The address cannot be read; the message says why.</exception>
    public static async Task<RedisLaneState> ConnectAsync(string address, string keyPrefix = DefaultKeyPrefix)
    {
        ConfigurationOptions options = RedisAddress.Parse(address);
        ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        return new RedisLaneState(redis, keyPrefix, ownsConnection: true);
    }

    /// <inheritdoc/>
    public async ValueTask<StartGrant> ReserveStartsAsync(string lane, StartRequest request, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckReserve(lane, request);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<SharedRate> rates = request.Rates;
        IReadOnlyList<long> costs = request.Costs;
        SharedQuota quota = request.Quota ?? default;
        var args = new RedisValue[8 + (4 * rates.Count) + costs.Count];
        args[0] = costs.Count;
        args[1] = request.HorizonMicroseconds;
        args[2] = rates.Count;
        args[3] = request.CostAdjustment;
        args[4] = request.Quota is null ? 0 : quota.Limit;
        args[5] = quota.PeriodMicroseconds;
        args[6] = quota.OffsetMicroseconds;
        args[7] = quota.CountsCost ? 1 : 0;
        for (int r = 0; r < rates.Count; r++)
        {
            args[8 + (4 * r)] = rates[r].Permits;
            args[9 + (4 * r)] = rates[r].PeriodMicroseconds;
            args[10 + (4 * r)] = rates[r].Burst;
            args[11 + (4 * r)] = rates[r].CountsCost ? 1 : 0;
        }

        for (int i = 0; i < costs.Count; i++)
        {
            args[8 + (4 * rates.Count) + i] = costs[i];
        }

        RedisResult result = await Database.ScriptEvaluateAsync(s_reserve, [RatesKey(lane), _prefix + "~since"], args).ConfigureAwait(false);
        var values = (long[])result!;
        return new StartGrant(values[1..], values[0]);
    }

    /// <inheritdoc/>
    public async ValueTask<int> AcquireSlotsAsync(string lane, int maxConcurrency, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckAcquire(lane, maxConcurrency, leases, ttl);
        cancellationToken.ThrowIfCancellationRequested();
        if (leases.Count == 0)
        {
            return 0;
        }

        RedisValue[] args = [maxConcurrency, LaneStateArguments.Micros(ttl), .. leases.Select(l => (RedisValue)l)];
        return (int)await Database.ScriptEvaluateAsync(s_acquire, [SlotsKey(lane)], args).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<int> RenewSlotsAsync(string lane, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckLeases(lane, leases, ttl);
        cancellationToken.ThrowIfCancellationRequested();
        if (leases.Count == 0)
        {
            return 0;
        }

        RedisValue[] args = [LaneStateArguments.Micros(ttl), .. leases.Select(l => (RedisValue)l)];
        return (int)await Database.ScriptEvaluateAsync(s_renew, [SlotsKey(lane)], args).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseSlotsAsync(string lane, IReadOnlyList<string> leases, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckLeases(lane, leases, TimeSpan.FromSeconds(1));
        cancellationToken.ThrowIfCancellationRequested();
        if (leases.Count > 0)
        {
            await Database.SortedSetRemoveAsync(SlotsKey(lane), [.. leases.Select(l => (RedisValue)l)]).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsConnection)
        {
            _redis.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IDatabase Database => _redis.GetDatabase();

    private RedisKey RatesKey(string lane) => _prefix + lane + ":rates";

    private RedisKey SlotsKey(string lane) => _prefix + lane + ":slots";

    private static string Script(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Pacer.Redis.Scripts." + name)
            ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The script {name} is missing from Pacer.Redis."));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
