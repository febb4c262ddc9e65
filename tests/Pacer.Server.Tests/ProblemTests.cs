using System.Net;
using System.Text;
using System.Text.Json;

namespace Pacer.Server.Tests;

/// <summary>What a careless client sends: every error is problem+json that names the field or line at fault.</summary>
public sealed class ProblemTests
{
    [Fact]
    public async Task EveryMistake_GetsAProblem_ThatNamesItsPlace()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 1"));
        string run = await server.SubmitAsync([Lines.Get(gate.BaseUri, 0)]);

        await AssertProblemAsync(server.Http.GetAsync("/api/runs/nope"), HttpStatusCode.NotFound, "'nope'");
        await AssertProblemAsync(server.Http.GetAsync($"/api/runs/{run}/results?limit=abc"), HttpStatusCode.BadRequest, "'limit'", field: "limit");
        await AssertProblemAsync(server.Http.GetAsync($"/api/runs/{run}/results?after=9223372036854775807"), HttpStatusCode.BadRequest, "'after'", field: "after");
        await AssertProblemAsync(server.Http.GetAsync($"/api/runs/{run}/jobs?after=-2"), HttpStatusCode.BadRequest, "'after'", field: "after");
        await AssertProblemAsync(server.Http.GetAsync($"/api/runs/{run}/results?wait=maybe"), HttpStatusCode.BadRequest, "'wait'", field: "wait");
        await AssertProblemAsync(server.Http.GetAsync("/api/runs?limit=0"), HttpStatusCode.BadRequest, "'limit'", field: "limit");
        await AssertProblemAsync(server.Http.PostAsync($"/api/runs/{run}/jobs/7/cancel", null), HttpStatusCode.NotFound, "no job '7'");
        await AssertProblemAsync(server.Http.PostAsync($"/api/runs/{run}/jobs/-1/cancel", null), HttpStatusCode.NotFound, "no job '-1'");
        await AssertProblemAsync(Post(server, "/api/runs?priority=high", "{}", "application/x-ndjson"), HttpStatusCode.BadRequest, "'priority'", field: "priority");
        await AssertProblemAsync(Post(server, "/api/runs?maxConcurrency=0", "{}", "application/x-ndjson"), HttpStatusCode.BadRequest, "'maxConcurrency'", field: "maxConcurrency");
        await AssertProblemAsync(Post(server, "/api/runs?mode=combined", "{}", "application/x-ndjson"), HttpStatusCode.BadRequest, "'mode'", field: "mode");
        await AssertProblemAsync(Post(server, "/api/runs", "{}", "application/xml"), HttpStatusCode.UnsupportedMediaType, "application/x-ndjson");
        await AssertProblemAsync(Post(server, "/api/runs", "{\"url\":", "application/json"), HttpStatusCode.BadRequest, "not valid JSON", field: "body");
        await AssertProblemAsync(Post(server, "/api/runs", "{\"url\":\"x\"}", "application/json"), HttpStatusCode.BadRequest, "array", field: "body");
        await AssertProblemAsync(Post(server, "/api/runs", "\n\n", "application/x-ndjson"), HttpStatusCode.BadRequest, "no lines", field: "body");
        await AssertProblemAsync(Post(server, "/api/runs", "{}", "application/x-ndjson", "Idempotency-Key", ""), HttpStatusCode.BadRequest, "Idempotency-Key", field: "Idempotency-Key");
        await AssertProblemAsync(server.Http.GetAsync($"/api/runs/{run}/jobs?state=done"), HttpStatusCode.BadRequest, "'done'", field: "state");
        await AssertProblemAsync(server.Http.GetAsync($"/api/runs/{run}/jobs?lane=elsewhere"), HttpStatusCode.BadRequest, "'svc'", field: "lane");
        await AssertProblemAsync(server.Http.GetAsync("/api/nothing-here"), HttpStatusCode.NotFound, null);
        await AssertProblemAsync(server.Http.DeleteAsync("/api/runs/nope"), HttpStatusCode.NotFound, "'nope'");
    }

    [Fact]
    public async Task AJsonArray_IsARun_AndItsBadElementsGetTheirErrors()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 1"));
        string body = $"[{Lines.Get(gate.BaseUri, 0)}, 42, {{\"url\":\"/j/1\",\"lane\":\"svc\",\"priority\":\"high\"}}]";

        using HttpResponseMessage created = await Post(server, "/api/runs", body, "application/json");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string run = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/api/runs/{run}", created.Headers.Location?.ToString());
        await server.WaitForStatusAsync(run, "completed");

        List<JsonElement> results = await server.ResultsAsync(run);
        Assert.True(results[0].GetProperty("ok").GetBoolean());
        Assert.StartsWith("line 2:", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"priority\"", results[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(gate.Targets);

        // An ended run can be deleted, with its results.
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/runs/{run}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/runs/{run}")).StatusCode);
    }

    private static Task<HttpResponseMessage> Post(ServerProcess server, string path, string body, string mediaType, string? header = null, string? value = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return server.Http.SendAsync(request);
    }

    private static async Task AssertProblemAsync(Task<HttpResponseMessage> sending, HttpStatusCode status, string? detailPart, string? field = null)
    {
        using HttpResponseMessage response = await sending;
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} instead of {(int)status}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (detailPart is not null)
        {
            Assert.Contains(detailPart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
    }
}
