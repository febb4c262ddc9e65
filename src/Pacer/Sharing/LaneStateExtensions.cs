namespace Pacer;

/// <summary>Shorter calls of an <see cref="ILaneState"/>.</summary>
public static class LaneStateExtensions
{
    /// <summary>
    /// Reserves up to <paramref name="count"/> starts of <paramref name="lane"/> that each cost one
    /// unit, with no adjustment: <see cref="ILaneState.ReserveStartsAsync"/> for a lane of request rates.
    /// </summary>
    public static ValueTask<StartGrant> ReserveStartsAsync(this ILaneState state, string lane, IReadOnlyList<SharedRate> rates, int count, long horizonMicroseconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        long[] costs = new long[count];
        Array.Fill(costs, 1);
        return state.ReserveStartsAsync(lane, new StartRequest(rates, costs, horizonMicroseconds), cancellationToken);
    }
}
