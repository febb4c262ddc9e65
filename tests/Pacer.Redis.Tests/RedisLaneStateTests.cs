using Pacer.Tests.Sharing;

namespace Pacer.Redis.Tests;

/// <summary>The lane state contract, kept in a real Redis (keys of its own per test).</summary>
[Collection(SharedRedis.Name)]
public sealed class RedisLaneStateTests(RedisServer server) : LaneStateContract, IAsyncLifetime
{
    private RedisLaneState? _state;

    protected override ILaneState State => _state!;

    public async Task InitializeAsync() => _state = await RedisLaneState.ConnectAsync(server.Address, "pacer-test:" + Guid.NewGuid().ToString("N") + ":");

    public async Task DisposeAsync() => await _state!.DisposeAsync();
}
