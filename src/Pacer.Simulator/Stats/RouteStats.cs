namespace Pacer.Simulator;

/// <summary>What the simulator saw on one route, or on all of them, since it started or was last reset.</summary>
public sealed class RouteStats
{
    /// <summary>Requests that arrived, whatever their outcome.</summary>
    public long Requests { get; init; }

    /// <summary>Responses sent, by status code.</summary>
    public IReadOnlyDictionary<int, long> ByStatus { get; init; } = new Dictionary<int, long>();

    /// <summary>Requests whose connection was aborted by an injected fault.</summary>
    public long Dropped { get; init; }

    /// <summary>Requests that ended without an answer because the client went away or the simulator stopped.</summary>
    public long Cancelled { get; init; }

    /// <summary>The most requests that arrived within any sliding second.</summary>
    public int MaxStartsPerSecond { get; init; }

    /// <summary>The most requests that arrived within any sliding 100 milliseconds.</summary>
    public int MaxStartsPer100Milliseconds { get; init; }

    /// <summary>The most requests in progress at once.</summary>
    public int MaxConcurrent { get; init; }

    /// <summary>Requests in progress now.</summary>
    public int InFlight { get; init; }

    /// <summary>Tokens charged to accepted requests (prompt ÷ 4 plus <c>max_tokens</c>).</summary>
    public long Tokens { get; init; }

    /// <summary>Responses with <paramref name="statusCode"/>; zero when none.</summary>
    public long CountOf(int statusCode) => ByStatus.GetValueOrDefault(statusCode);
}
