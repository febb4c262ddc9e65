using System.Text.Json;
using System.Threading.Channels;

namespace Pacer.Server.Events;

/// <summary>
/// The server's events, for <c>GET /api/events</c>: each gets the next id and is kept in a ring of
/// the latest <see cref="Kept"/>, so that a client that reconnects with <c>Last-Event-ID</c> gets
/// what it missed. Publishing never waits: each subscriber has a bounded queue (what it missed, plus
/// <see cref="QueueLength"/>), and one whose queue is full is dropped: its stream ends, and it may
/// reconnect and resume.
/// </summary>
internal sealed class EventFeed
{
    public const int Kept = 4096;
    public const int QueueLength = 1024;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly Lock _lock = new();
    private readonly ServerEvent?[] _ring = new ServerEvent?[Kept];
    private readonly List<Channel<ServerEvent>> _subscribers = [];
    private long _lastId;

    /// <summary>How many subscribers are connected.</summary>
    public int Subscribers
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Fired when a subscriber joins: the lane ticker then sends a snapshot at once.</summary>
    public event Action? Joined;

    public void Publish(string type, object data)
    {
        string json = JsonSerializer.Serialize(data, s_json);
        lock (_lock)
        {
            var item = new ServerEvent(++_lastId, type, json);
            _ring[item.Id % Kept] = item;
            for (int i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Writer.TryWrite(item))
                {
                    // Too slow: dropped, so that it never holds anyone up.
                    _subscribers[i].Writer.TryComplete();
                    _subscribers.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// Subscribes from now, or after <paramref name="lastEventId"/>: the events since then that are
    /// still kept come first. When some were no longer kept, a <c>reset</c> event says so first:
    /// the client should read the state again.
    /// </summary>
    public ChannelReader<ServerEvent> Subscribe(long? lastEventId)
    {
        var channel = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(QueueLength + Kept) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });
        lock (_lock)
        {
            if (lastEventId is { } last && last < _lastId)
            {
                long first = Math.Max(last + 1, _lastId - Kept + 1);
                if (first > last + 1 || last < 0)
                {
                    channel.Writer.TryWrite(new ServerEvent(_lastId, "reset", JsonSerializer.Serialize(new { missedAfter = last, resumesAt = first }, s_json)));
                }

                for (long id = Math.Max(first, 1); id <= _lastId; id++)
                {
                    channel.Writer.TryWrite(_ring[id % Kept]!);
                }
            }

            _subscribers.Add(channel);
        }

        Joined?.Invoke();
        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<ServerEvent> reader)
    {
        lock (_lock)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
        }
    }
}
