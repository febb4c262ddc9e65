namespace Pacer;

/// <summary>
/// Lane state kept in this process: several engines in one process share a lane's rates and
/// concurrency through it. It keeps the same arithmetic as the stores of Pacer.Redis and
/// Pacer.Postgres and passes the same contract; its clock is the <see cref="TimeProvider"/> given.
/// </summary>
public sealed class InProcessLaneState : ILaneState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LaneRecord> _lanes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _since;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The store's clock; default the system clock.</param>
    public InProcessLaneState(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _since = NowMicroseconds();
    }

    /// <inheritdoc/>
    public ValueTask<StartGrant> ReserveStartsAsync(string lane, StartRequest request, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckReserve(lane, request);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<SharedRate> rates = request.Rates;
        lock (_lock)
        {
            long now = NowMicroseconds();
            bool known = _lanes.ContainsKey(lane);
            LaneRecord record = Record(lane);
            long[] debts = new long[rates.Count];
            for (int r = 0; r < rates.Count; r++)
            {
                long debt = r < record.Debts.Length ? record.Debts[r] : 0;
                debts[r] = known ? SharedStartMath.Decay(debt, rates[r].Permits, now - record.WrittenAt) : SharedStartMath.Fresh(rates[r], _since, now);
            }

            // A quota's windows are on the wall clock (the Unix epoch), as in Redis and PostgreSQL.
            long wall = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
            long[] used = request.Quota is { } quota ? SharedStartMath.QuotaUsed(quota, wall, record.QuotaWindow, record.QuotaUsed, record.QuotaUsedNext) : [0, 0];
            SharedStartMath.Adjust(debts, rates, request.Quota, used, request.CostAdjustment);
            StartGrant grant = SharedStartMath.Reserve(debts, rates, request.Costs, request.HorizonMicroseconds, request.Quota, used, wall);
            record.Debts = debts;
            record.WrittenAt = now;
            if (request.Quota is { } kept)
            {
                (record.QuotaWindow, record.QuotaUsed, record.QuotaUsedNext) = (SharedStartMath.Window(kept, wall), used[0], used[1]);
            }

            return ValueTask.FromResult(grant);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> AcquireSlotsAsync(string lane, int maxConcurrency, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckAcquire(lane, maxConcurrency, leases, ttl);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            long now = NowMicroseconds();
            LaneRecord record = Record(lane);
            record.Slots.RemoveAll(now);
            int held = 0;
            foreach (string lease in leases)
            {
                if (!record.Slots.ContainsKey(lease) && record.Slots.Count >= maxConcurrency)
                {
                    break;
                }

                record.Slots[lease] = now + LaneStateArguments.Micros(ttl);
                held++;
            }

            return ValueTask.FromResult(held);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> RenewSlotsAsync(string lane, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckLeases(lane, leases, ttl);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            long now = NowMicroseconds();
            LaneRecord record = Record(lane);
            record.Slots.RemoveAll(now);
            int held = 0;
            foreach (string lease in leases)
            {
                if (record.Slots.ContainsKey(lease))
                {
                    record.Slots[lease] = now + LaneStateArguments.Micros(ttl);
                    held++;
                }
            }

            return ValueTask.FromResult(held);
        }
    }

    /// <inheritdoc/>
    public ValueTask ReleaseSlotsAsync(string lane, IReadOnlyList<string> leases, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckLeases(lane, leases, TimeSpan.FromSeconds(1));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            LaneRecord record = Record(lane);
            foreach (string lease in leases)
            {
                record.Slots.Remove(lease);
            }
        }

        return ValueTask.CompletedTask;
    }

    private long NowMicroseconds() =>
        (long)((Int128)_time.GetTimestamp() * 1_000_000 / _time.TimestampFrequency);

    private LaneRecord Record(string lane)
    {
        if (!_lanes.TryGetValue(lane, out LaneRecord? record))
        {
            record = new LaneRecord { WrittenAt = NowMicroseconds() };
            _lanes.Add(lane, record);
        }

        return record;
    }

    private sealed class LaneRecord
    {
        public long[] Debts = [];

        public long WrittenAt;

        public long QuotaWindow = long.MinValue;

        public long QuotaUsed;

        public long QuotaUsedNext;

        public Dictionary<string, long> Slots { get; } = new(StringComparer.Ordinal);
    }
}

file static class SlotExtensions
{
    public static void RemoveAll(this Dictionary<string, long> slots, long now)
    {
        foreach (KeyValuePair<string, long> slot in slots)
        {
            if (slot.Value <= now)
            {
                slots.Remove(slot.Key);
            }
        }
    }
}
