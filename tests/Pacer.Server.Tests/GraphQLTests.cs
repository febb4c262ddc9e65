using System.Net;
using System.Text;
using System.Text.Json;

namespace Pacer.Server.Tests;

/// <summary>GraphQL at /graphql: plan 000's query during a run and after it ends, the mutations, and the metrics subscription over server-sent events.</summary>
public sealed class GraphQLTests
{
    private const string Plan000 = """
        query($id: String!) { run(id: $id) { id status counts { queued running succeeded cancelled }
          executionMetrics { providers { provider activeJobs queuedJobs maxParallel requestsPerMinute currentRequestsPerMinute
            recentCompletions { what lane status ms at } } totalActive totalQueued estimatedTimeRemaining } } }
        """;

    [Fact]
    public async Task Plan000sQuery_ShowsEachLaneWhileTheRunRuns_AndNoMetricsOnceItHasEnded()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 2\n    rpm: 600"));
        JsonElement submitted = await GraphQLAsync(server, "mutation($r: [String!]!) { submitRun(requests: $r, name: \"evals\") { id status jobs } }",
            new { r = Enumerable.Range(0, 6).Select(i => Lines.Get(gate.BaseUri, i)).ToArray() });
        string run = submitted.GetProperty("submitRun").GetProperty("id").GetString()!;
        Assert.Equal(6, submitted.GetProperty("submitRun").GetProperty("jobs").GetInt64());
        await ServerProcess.WaitUntilAsync(() => Task.FromResult(gate.Targets.Count == 2), "two requests at the service");

        JsonElement running = (await GraphQLAsync(server, Plan000, new { id = run })).GetProperty("run");
        JsonElement lane = Assert.Single(running.GetProperty("executionMetrics").GetProperty("providers").EnumerateArray());
        Assert.Equal("svc", lane.GetProperty("provider").GetString());
        Assert.Equal(2, lane.GetProperty("activeJobs").GetInt64());
        Assert.Equal(4, lane.GetProperty("queuedJobs").GetInt64());
        Assert.Equal(2, lane.GetProperty("maxParallel").GetInt32());
        Assert.Equal(600, lane.GetProperty("requestsPerMinute").GetDouble());
        Assert.Equal(2, running.GetProperty("executionMetrics").GetProperty("totalActive").GetInt64());

        JsonElement cancelled = await GraphQLAsync(server, "mutation($id: String!) { cancelJob(id: $id, index: 5) { index state } }", new { id = run });
        Assert.Equal("cancelled", cancelled.GetProperty("cancelJob").GetProperty("state").GetString());
        gate.Open();
        await server.WaitForStatusAsync(run, "completed");

        JsonElement ended = (await GraphQLAsync(server, Plan000, new { id = run })).GetProperty("run");
        Assert.Equal("completed", ended.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("executionMetrics").ValueKind);
        Assert.Equal(5, ended.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.Equal(1, ended.GetProperty("counts").GetProperty("cancelled").GetInt64());
        JsonElement lists = await GraphQLAsync(server, "{ runs { id name } lanes { name maxConcurrency requestsPerMinute } }", null);
        Assert.Equal("evals", Assert.Single(lists.GetProperty("runs").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(2, Assert.Single(lists.GetProperty("lanes").EnumerateArray()).GetProperty("maxConcurrency").GetInt32());
    }

    [Fact]
    public async Task TheMetricsSubscription_StreamsTheRunOverServerSentEvents_UntilItEnds()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 2"));
        string run = await server.SubmitAsync(Enumerable.Range(0, 4).Select(i => Lines.Get(gate.BaseUri, i)));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = Body("subscription($id: String!) { runMetrics(id: $id) { status counts { succeeded } } }", new { id = run }),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using HttpResponseMessage response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: next", await reader.ReadLineAsync());
        Assert.StartsWith("data: {\"data\":{\"runMetrics\":{\"status\":\"running\"", await reader.ReadLineAsync(), StringComparison.Ordinal);
        gate.Open();

        // Read to the end: the last result shows the run completed, then the stream says complete.
        string rest = await reader.ReadToEndAsync();
        string[] events = rest.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("event: complete\ndata:", events[^1].Trim());
        Assert.Contains("\"status\":\"completed\",\"counts\":{\"succeeded\":4}", events[^2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mistakes_AreGraphQLErrors_OrProblemsThatNameTheField()
    {
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", new Uri("http://127.0.0.1:9/"), "    concurrency: 1"));

        JsonElement missing = await RawAsync(server, Body("mutation { cancelRun(id: \"nope\") { id } }", null));
        Assert.Contains("There is no run 'nope'", missing.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        JsonElement offLane = await RawAsync(server, Body("mutation { submitRun(requests: [\"{\\\"url\\\":\\\"http://10.0.0.1/\\\"}\"]) { id } }", null));
        Assert.Contains("under no lane's baseUrl", offLane.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        JsonElement unknownField = await RawAsync(server, Body("{ runs { secrets } }", null));
        Assert.Contains("secrets", unknownField.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        using HttpResponseMessage notJson = await server.Http.PostAsync("/graphql", new StringContent("{query", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);
        using HttpResponseMessage noQuery = await server.Http.PostAsync("/graphql", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal("query", JsonDocument.Parse(await noQuery.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    private static StringContent Body(string query, object? variables) =>
        new(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> RawAsync(ServerProcess server, StringContent body)
    {
        using HttpResponseMessage response = await server.Http.PostAsync("/graphql", body);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<JsonElement> GraphQLAsync(ServerProcess server, string query, object? variables)
    {
        JsonElement answer = await RawAsync(server, Body(query, variables));
        Assert.False(answer.TryGetProperty("errors", out JsonElement errors), errors.ToString());
        return answer.GetProperty("data");
    }
}
