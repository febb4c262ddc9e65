namespace Pacer;

/// <summary>
/// What a lane asks its store for (<see cref="ILaneState.ReserveStartsAsync"/>): a start for each of
/// <paramref name="Costs"/>, in order, each at the earliest time all of <paramref name="Rates"/> and
/// the <see cref="Quota"/> allow after the one before; the first up to a second ahead, the others no
/// later than <paramref name="HorizonMicroseconds"/> from the store's now.
/// </summary>
/// <param name="Rates">The lane's rates, all kept at once (matched to the store's state by position): a request rate counts one unit per start, a cost rate (<see cref="SharedRate.CountsCost"/>) the start's cost.</param>
/// <param name="Costs">The cost of each start wanted, in order (each 0 or more). May be empty, to apply <see cref="CostAdjustment"/> alone.</param>
/// <param name="HorizonMicroseconds">How far ahead of now starts after the first may be reserved.</param>
public sealed record StartRequest(IReadOnlyList<SharedRate> Rates, IReadOnlyList<long> Costs, long HorizonMicroseconds)
{
    /// <summary>
    /// Units to add to every cost rate's spending, and to a quota that counts cost, before
    /// reserving: what earlier starts really cost beyond what was reserved for them (positive), or
    /// less (negative, given back; never below idle).
    /// </summary>
    public long CostAdjustment { get; init; }

    /// <summary>The lane's quota, kept by the store too; <see langword="null"/> when it has none.</summary>
    public SharedQuota? Quota { get; init; }
}
