using Pacer.Tests.Sharing;

namespace Pacer.Redis.Tests;

/// <summary>The lane state contract, kept in a real Redis (keys of their own).</summary>
[Collection(SharedRedis.Name)]
public sealed class RedisLaneStateTests(RedisServer server) : LaneStateContract, IAsyncLifetime
{
    private readonly List<RedisLaneState> _fresh = [];
    private RedisLaneState? _state;

    protected override ILaneState State => _state!;

    /// <summary>One prefix for every test (each uses lanes of its own): the store's first moments are waited out once.</summary>
    private static readonly string s_prefix = "pacer-test:" + Guid.NewGuid().ToString("N") + ":";

    public async Task InitializeAsync() => _state = await RedisLaneState.ConnectAsync(server.Address, s_prefix);

    /// <summary>Keys of its own: as a Redis that restarted without its state.</summary>
    protected override async Task<ILaneState> FreshAsync()
    {
        RedisLaneState fresh = await RedisLaneState.ConnectAsync(server.Address, "pacer-test:" + Guid.NewGuid().ToString("N") + ":");
        _fresh.Add(fresh);
        return fresh;
    }

    public async Task DisposeAsync()
    {
        await _state!.DisposeAsync();
        foreach (RedisLaneState fresh in _fresh)
        {
            await fresh.DisposeAsync();
        }
    }
}
