namespace Pacer;

/// <summary>
/// Where a lane keeps the limits several processes share: its request rates, cost rates, quota and concurrency.
/// Every engine whose lane names the same store and the same lane name keeps one limit together.
/// The store decides with its own clock, never the callers', so processes whose clocks disagree
/// still share one limit exactly.
/// </summary>
/// <remarks>
/// The engine never waits on a store under its lock: a shared lane reserves its starts in small
/// grants ahead of need (<see cref="ReserveStartsAsync"/>) and holds concurrency slots as leases
/// it renews (<see cref="AcquireSlotsAsync"/>). Implementations: <see cref="InProcessLaneState"/>
/// (engines in one process), <c>RedisLaneState</c> (Pacer.Redis) and <c>PostgresLaneState</c>
/// (Pacer.Postgres). They pass one contract.
/// </remarks>
public interface ILaneState
{
    /// <summary>
    /// Reserves a start of <paramref name="lane"/> for each of the request's costs, in order, each
    /// at the earliest time all of its rates and its quota allow after the one before: the first up
    /// to a second ahead (so callers are served in the order they ask, and one that asks again at
    /// once cannot take every start from the others), the others no later than the request's
    /// horizon from the store's now (<see cref="StartRequest"/>). A reserved start is spent for
    /// every process, used or not. A lane the store holds no state for counts as idle, unless the
    /// store's state began less than 1.05 s ago (a restart that lost it): then its rates count as
    /// spent up to then, so that a restart never grants again the starts processes still hold.
    /// </summary>
    /// <param name="lane">The lane's name; processes naming the same lane share its limits.</param>
    /// <param name="request">The rates, quota and costs, and the horizon.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The starts reserved, as offsets from the store's now, and when the next would be.</returns>
    ValueTask<StartGrant> ReserveStartsAsync(string lane, StartRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Takes concurrency slots of <paramref name="lane"/>, at most <paramref name="maxConcurrency"/>
    /// held by all processes together: each of <paramref name="leases"/> that fits is held until
    /// <paramref name="ttl"/> from now, unless renewed. Leases whose time ran out (a process that
    /// died) are given back first.
    /// </summary>
    /// <returns>How many of <paramref name="leases"/>, from the first, are now held.</returns>
    ValueTask<int> AcquireSlotsAsync(string lane, int maxConcurrency, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Holds <paramref name="leases"/> for <paramref name="ttl"/> more from now.</summary>
    /// <returns>How many of them were still held (a lease whose time ran out is not taken again).</returns>
    ValueTask<int> RenewSlotsAsync(string lane, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives <paramref name="leases"/> back.</summary>
    ValueTask ReleaseSlotsAsync(string lane, IReadOnlyList<string> leases, CancellationToken cancellationToken);
}
