namespace Pacer.Tests.Sharing;

/// <summary>The lane state contract, kept in this process.</summary>
public sealed class InProcessLaneStateTests : LaneStateContract
{
    protected override ILaneState State { get; } = new InProcessLaneState();
}
