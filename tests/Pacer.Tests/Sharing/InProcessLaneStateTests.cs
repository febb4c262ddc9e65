namespace Pacer.Tests.Sharing;

/// <summary>The lane state contract, kept in this process.</summary>
public sealed class InProcessLaneStateTests : LaneStateContract
{
    private static readonly InProcessLaneState s_state = new();

    protected override ILaneState State => s_state;

    protected override Task<ILaneState> FreshAsync() => Task.FromResult<ILaneState>(new InProcessLaneState());
}
