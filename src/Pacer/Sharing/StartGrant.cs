namespace Pacer;

/// <summary>Starts a store reserved for a lane (<see cref="ILaneState.ReserveStartsAsync"/>).</summary>
/// <param name="Starts">
/// The reserved starts, in order, as microseconds after the store's now when it decided; none is
/// to be used before its time, nor long after it.
/// </param>
/// <param name="NextStart">
/// Microseconds after the store's now at which one more start would fit.
/// </param>
public sealed record StartGrant(IReadOnlyList<long> Starts, long NextStart);
