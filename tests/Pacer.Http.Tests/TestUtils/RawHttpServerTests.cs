namespace Pacer.Http.Tests;

/// <summary>The raw-socket server other tests script misbehaving services with.</summary>
public sealed class RawHttpServerTests
{
    [Fact]
    public async Task Answers_each_request_and_keeps_what_it_received()
    {
        await using var server = RawHttpServer.Answering((request, connection) => connection.RespondAsync(200, $"you sent {request.Method} {request.Target}", "X-Test: 1"));
        using var client = new HttpClient();

        string first = await client.GetStringAsync(new Uri(server.BaseUri, "a?b=1")).DefaultTimeout();
        string second = await client.GetStringAsync(new Uri(server.BaseUri, "c")).DefaultTimeout();

        Assert.Equal("you sent GET /a?b=1", first);
        Assert.Equal("you sent GET /c", second);
        Assert.Equal(["/a?b=1", "/c"], server.Requests.Select(r => r.Target));
        Assert.Contains("GET /c HTTP/1.1\r\n", server.ReceivedText, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{server.Port}", server.Requests[0].Header("host"));
    }
}
