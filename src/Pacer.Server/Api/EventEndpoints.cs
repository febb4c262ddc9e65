using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pacer.Server.Events;

namespace Pacer.Server.Api;

/// <summary>
/// <c>GET /api/events</c>: server-sent events. <c>lanes</c> (every lane's snapshot, each second
/// while anything runs), <c>run</c> (a run added, started, ended, cancelled, deleted), <c>job</c>
/// (a job ended), and <c>reset</c> (events were missed: read the state again). Every event has an
/// <c>id:</c>; <c>Last-Event-ID</c> resumes after it.
/// </summary>
internal static class EventEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/events", (HttpContext context, EventFeed feed) =>
            {
                string? last = context.Request.Headers["Last-Event-ID"];
                if (last is not null && !long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return Problems.BadRequest($"Header 'Last-Event-ID' must be the id of an event, a whole number, got '{QueryValue.Shorten(last)}'.", "Last-Event-ID");
                }

                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers["X-Accel-Buffering"] = "no";
                long? after = last is null ? null : long.Parse(last, NumberStyles.None, CultureInfo.InvariantCulture);
                return TypedResults.ServerSentEvents(StreamAsync(feed, after, context.RequestAborted));
            })
            .WithTags("events")
            .WithSummary("Server-sent events: lanes (each second while anything runs), run, job and reset; Last-Event-ID resumes.");

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(EventFeed feed, long? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        System.Threading.Channels.ChannelReader<ServerEvent> events = feed.Subscribe(after);
        try
        {
            while (await WaitAsync(events, cancellationToken).ConfigureAwait(false))
            {
                while (events.TryRead(out ServerEvent? item))
                {
                    yield return new SseItem<string>(item.Data, item.Type) { EventId = item.Id.ToString(CultureInfo.InvariantCulture) };
                }
            }
        }
        finally
        {
            feed.Unsubscribe(events);
        }
    }

    private static async ValueTask<bool> WaitAsync(System.Threading.Channels.ChannelReader<ServerEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
            return false;
        }
    }
}
