namespace Pacer.Tests.Sharing;

/// <summary>A lane state that fails every call while <see cref="Down"/>, as a store that cannot be reached.</summary>
internal sealed class FlakyLaneState(ILaneState inner) : ILaneState
{
    public volatile bool Down;

    public ValueTask<StartGrant> ReserveStartsAsync(string lane, StartRequest request, CancellationToken cancellationToken) =>
        Down ? throw new IOException("the store is down") : inner.ReserveStartsAsync(lane, request, cancellationToken);

    public ValueTask<int> AcquireSlotsAsync(string lane, int maxConcurrency, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken) =>
        Down ? throw new IOException("the store is down") : inner.AcquireSlotsAsync(lane, maxConcurrency, leases, ttl, cancellationToken);

    public ValueTask<int> RenewSlotsAsync(string lane, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken) =>
        Down ? throw new IOException("the store is down") : inner.RenewSlotsAsync(lane, leases, ttl, cancellationToken);

    public ValueTask ReleaseSlotsAsync(string lane, IReadOnlyList<string> leases, CancellationToken cancellationToken) =>
        Down ? throw new IOException("the store is down") : inner.ReleaseSlotsAsync(lane, leases, cancellationToken);
}
