using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Pacer.Http;

/// <summary>
/// The idempotency keys of requests in flight, per engine, across every handler on it. The engine
/// keeps keys too, but a second submit with a key hands back the first job, whose response is its
/// own caller's; so a request with a key in flight is refused here, before it is queued.
/// </summary>
internal static class InFlightKeys
{
    private static readonly ConditionalWeakTable<PacerEngine, ConcurrentDictionary<string, byte>> s_byEngine = [];

    /// <summary>Takes <paramref name="key"/> for a request on <paramref name="engine"/>.</summary>
    /// <exception cref="InvalidOperationException">A request with that key is in flight.</exception>
    public static void Claim(PacerEngine engine, string key)
    {
        if (!s_byEngine.GetOrCreateValue(engine).TryAdd(key, 0))
        {
            throw new InvalidOperationException(
                $"Idempotency key '{key}' belongs to a request still in flight; this request was not sent.");
        }
    }

    /// <summary>Frees <paramref name="key"/> once its request's job has ended (or was never submitted).</summary>
    public static void Release(PacerEngine engine, string key)
    {
        if (s_byEngine.TryGetValue(engine, out ConcurrentDictionary<string, byte>? keys))
        {
            keys.TryRemove(key, out _);
        }
    }
}
