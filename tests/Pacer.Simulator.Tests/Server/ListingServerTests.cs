using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Pacer.Simulator.Tests.Server;

public class ListingServerTests
{
    private static SimulatorOptions Options(int seed = 3) => new()
    {
        Seed = seed,
        Listing = { Projects = 2, SuitesPerProject = 3, MinCasesPerSuite = 0, MaxCasesPerSuite = 600 },
    };

    [Fact]
    public async Task WalkingEveryPage_GivesEveryCaseOnce()
    {
        await using var sim = await RunningSimulator.StartAsync(Options());

        var projects = await sim.GetJsonAsync("api/projects");
        Assert.Equal(2, projects.GetProperty("total").GetInt32());
        var seen = new HashSet<long>();
        long expected = 0;
        foreach (var project in projects.GetProperty("items").EnumerateArray())
        {
            var suites = await sim.GetJsonAsync($"api/projects/{project.GetProperty("id").GetInt64()}/suites");
            Assert.Equal(3, suites.GetProperty("total").GetInt32());
            foreach (var suite in suites.GetProperty("items").EnumerateArray())
            {
                long suiteId = suite.GetProperty("id").GetInt64();
                int caseCount = suite.GetProperty("caseCount").GetInt32();
                expected += caseCount;
                for (int offset = 0; ; offset += 250)
                {
                    var page = await sim.GetJsonAsync($"api/suites/{suiteId}/cases?offset={offset}&limit=250");
                    Assert.Equal(caseCount, page.GetProperty("total").GetInt32());
                    Assert.Equal((offset, 250), (page.GetProperty("offset").GetInt32(), page.GetProperty("limit").GetInt32()));
                    var items = page.GetProperty("items");
                    Assert.Equal(Math.Clamp(caseCount - offset, 0, 250), items.GetArrayLength());
                    foreach (var item in items.EnumerateArray())
                    {
                        Assert.Equal(suiteId, item.GetProperty("suiteId").GetInt64());
                        Assert.True(seen.Add(item.GetProperty("id").GetInt64()));
                    }

                    if (offset + 250 >= caseCount)
                    {
                        break;
                    }
                }
            }
        }

        Assert.Equal(expected, seen.Count);
    }

    [Fact]
    public async Task SameSeed_ServesTheSameListing()
    {
        string first, second;
        await using (var sim = await RunningSimulator.StartAsync(Options(seed: 11)))
        {
            first = (await sim.GetJsonAsync("api/suites/2/cases?limit=5")).GetRawText();
        }

        await using (var sim = await RunningSimulator.StartAsync(Options(seed: 11)))
        {
            second = (await sim.GetJsonAsync("api/suites/2/cases?limit=5")).GetRawText();
        }

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("api/suites/1/cases?limit=251", HttpStatusCode.BadRequest, "limit must be an integer from 1 to 250, got '251'.")]
    [InlineData("api/suites/1/cases?limit=0", HttpStatusCode.BadRequest, "limit must be an integer from 1 to 250, got '0'.")]
    [InlineData("api/suites/1/cases?offset=-1", HttpStatusCode.BadRequest, "offset must be an integer at least 0, got '-1'.")]
    [InlineData("api/suites/7/cases", HttpStatusCode.NotFound, "Suite '7' not found.")]
    [InlineData("api/projects/3/suites", HttpStatusCode.NotFound, "Project '3' not found.")]
    public async Task BadPageRequests_AreAnsweredWithTheReason(string path, HttpStatusCode status, string message)
    {
        await using var sim = await RunningSimulator.StartAsync(Options());

        using var response = await sim.Client.GetAsync(path).DefaultTimeout();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(message, (await RunningSimulator.ReadJsonAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Listing_BeyondTheHiddenLimit_Is429WithGitHubStyleHeaders_UntilTheFixedMinuteEnds()
    {
        var options = Options();
        options.Limits.Rules.Add(new LimitRule { Route = SimulatorRoute.Listing, Limits = { RequestsPerMinute = 2 } });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 15, 250, TimeSpan.Zero));
        await using var sim = await RunningSimulator.StartAsync(options, time);
        long minuteEnd = new DateTimeOffset(2026, 1, 2, 3, 5, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        using var first = await sim.Client.GetAsync("api/projects").DefaultTimeout();
        using var second = await sim.Client.GetAsync("api/projects").DefaultTimeout();
        using var third = await sim.Client.GetAsync("api/projects").DefaultTimeout();

        Assert.Equal("2", first.Header("x-ratelimit-limit"));
        Assert.Equal("1", first.Header("x-ratelimit-remaining"));
        Assert.Equal("1", first.Header("x-ratelimit-used"));
        Assert.Equal($"{minuteEnd}", first.Header("x-ratelimit-reset"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), third.Headers.RetryAfter!.Delta!.Value); // 44.75 s, rounded up
        Assert.Equal($"{minuteEnd}", third.Header("x-ratelimit-reset"));
        Assert.Equal(JsonValueKind.String, (await RunningSimulator.ReadJsonAsync(third)).GetProperty("message").ValueKind);

        time.Advance(TimeSpan.FromSeconds(44.75));
        using var fourth = await sim.Client.GetAsync("api/projects").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
        Assert.Equal("1", fourth.Header("x-ratelimit-remaining"));
        Assert.Equal($"{minuteEnd + 60}", fourth.Header("x-ratelimit-reset"));
    }
}
