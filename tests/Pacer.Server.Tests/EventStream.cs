using System.Globalization;
using System.Text.Json;

namespace Pacer.Server.Tests;

/// <summary>One event read from the server's stream.</summary>
internal sealed record SseEvent(long Id, string Type, JsonElement Data);

/// <summary>A reader of <c>GET /api/events</c>, parsing each event as it comes.</summary>
internal sealed class EventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public static async Task<EventStream> OpenAsync(HttpClient http, long? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        }

        HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event; fails if none comes within the server deadline.</summary>
    public async Task<SseEvent> NextAsync()
    {
        using var deadline = new CancellationTokenSource(ServerProcess.Deadline);
        string? type = null, data = null, id = null;
        while (await _reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    Assert.NotNull(id);
                    return new SseEvent(long.Parse(id, CultureInfo.InvariantCulture), type ?? "message", JsonDocument.Parse(data).RootElement.Clone());
                }

                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event": type = value; break;
                case "data": data = data is null ? value : data + "\n" + value; break;
                case "id": id = value; break;
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
