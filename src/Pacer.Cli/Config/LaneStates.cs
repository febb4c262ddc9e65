using Npgsql;
using Pacer.Postgres;
using Pacer.Redis;
using StackExchange.Redis;

namespace Pacer.Cli.Config;

/// <summary>
/// The shared lane states of one command, connected once per address and closed with it: lanes
/// that name the same <c>state:</c> share one connection.
/// </summary>
internal sealed class LaneStates : IAsyncDisposable
{
    private readonly Dictionary<LaneStateAddress, ILaneState> _open = [];

    /// <summary>
    /// The store at <paramref name="address"/>, connected the first time it is asked for;
    /// <see langword="null"/> for <see cref="LaneStateKind.Local"/>. A Redis that is down is
    /// connected to when it comes up; a PostgreSQL must answer now (its tables are made first).
    /// </summary>
    /// <exception cref="InvalidOperationException">The store cannot be reached; the message names it, password masked.</exception>
    public async Task<ILaneState?> GetAsync(LaneStateAddress address)
    {
        if (address.Kind == LaneStateKind.Local)
        {
            return null;
        }

        if (_open.TryGetValue(address, out ILaneState? open))
        {
            return open;
        }

        try
        {
            ILaneState state = address.Kind == LaneStateKind.Redis
                ? await RedisLaneState.ConnectAsync(address.Address).ConfigureAwait(false)
                : new PostgresLaneState(address.Address);
            _open.Add(address, state);
            return state;
        }
        catch (Exception e) when (e is NpgsqlException or RedisException or ArgumentException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException($"state {address.Shown} cannot be reached: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ILaneState state in _open.Values)
        {
            if (state is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }

        _open.Clear();
    }
}
