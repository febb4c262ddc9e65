using System.Text.Json;
using Pacer.Cli.Config;

namespace Pacer.Cli.Tests;

/// <summary>A child lane (<c>api/small</c>) inherits what it does not set from its parent: base URL, headers, retry keys, timeout; never limits.</summary>
public sealed class ConfigInheritanceTests
{
    private static async Task<string> WriteAsync(TempDir dir, string yaml)
    {
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, yaml);
        return config;
    }

    private static RawHttpServer Answering200() => RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));

    [Fact]
    public async Task ChildLane_SendsItsParentsKey_UnderItsParentsBaseUrl()
    {
        await using RawHttpServer server = Answering200();
        using var dir = new TempDir();
        string config = await WriteAsync(dir, $"""
            lanes:
              api:
                baseUrl: {server.BaseUri}v1
                headers:
                  Authorization: Bearer k-parent
              api/small:
                rps: 50
            """);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], Requests.Lines(["""{"lane":"api/small","url":"chat"}"""]));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("api/small", Assert.Single(CliRun.ReadResults(run.Out)).GetProperty("lane").GetString());
        RawRequest sent = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat", sent.Target);
        Assert.Equal("Bearer k-parent", sent.Header("Authorization"));
    }

    [Fact]
    public async Task ChildHeaders_ReplaceTheParentsOfTheSameName_WhateverTheirCase()
    {
        await using RawHttpServer server = Answering200();
        using var dir = new TempDir();
        string config = await WriteAsync(dir, $"""
            lanes:
              api:
                baseUrl: {server.BaseUri}
                headers:
                  Authorization: Bearer k-parent
                  X-Org: acme
              api/other:
                headers:
                  x-org: other
                  X-Model: m1
            """);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], Requests.Lines(["""{"lane":"api/other","url":"x"}"""]));

        Assert.Equal(0, run.ExitCode);
        RawRequest sent = Assert.Single(server.Requests);
        Assert.Equal("Bearer k-parent", sent.Header("Authorization"));
        Assert.Equal("other", sent.Header("X-Org"));
        Assert.Equal("m1", sent.Header("X-Model"));
        Assert.Equal(1, sent.Headers.Count(h => string.Equals(h.Key, "X-Org", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task ChildLane_InheritsRetryKeysOneByOne_AndTheTimeout_FromEveryAncestor()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, """
            lanes:
              api:
                timeout: 5s
                retry:
                  retries: 4
                  statuses: [429]
                  baseDelay: 0
              api/mid:
                retry:
                  maxDelay: 2s
              api/mid/leaf:
                retries: 1
            """);
        var errors = new List<string>();

        IReadOnlyList<LaneConfig> lanes = ConfigLoader.Load(config, _ => null, errors)!;

        Assert.Empty(errors);
        LaneConfig leaf = lanes.Single(l => l.Name == "api/mid/leaf");
        Assert.Equal(1, leaf.Retry.Retries);
        Assert.Equal([429], leaf.Retry.Statuses);
        Assert.Equal(TimeSpan.Zero, leaf.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), leaf.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), leaf.Timeout);
    }

    [Fact]
    public async Task ChildLane_KeepsOnlyItsOwnLimits_ItsParentsNestAboveIt()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, """
            lanes:
              api:
                concurrency: 4
                rpm: 600
                tpm: 90000
              api/small:
                rps: 2
            """);
        var errors = new List<string>();

        IReadOnlyList<LaneConfig> lanes = ConfigLoader.Load(config, _ => null, errors)!;

        Assert.Empty(errors);
        LaneConfig child = lanes.Single(l => l.Name == "api/small");
        Assert.Null(child.Limits.MaxConcurrency);
        Assert.Equal([new RateLimit(2, TimeSpan.FromSeconds(1))], child.Limits.Rates);
        Assert.Empty(child.Limits.CostRates);
    }

    [Fact]
    public async Task ChildLane_SharingItsParentsBaseUrl_DoesNotTakeTheParentsUnnamedRequests()
    {
        await using RawHttpServer server = Answering200();
        using var dir = new TempDir();
        string config = await WriteAsync(dir, $"""
            lanes:
              api/small:
                rps: 50
              api:
                baseUrl: {server.BaseUri}v1/
            """);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], Requests.Lines([$$"""{"url":"{{server.BaseUri}}v1/x"}"""]));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("api", Assert.Single(CliRun.ReadResults(run.Out)).GetProperty("lane").GetString());
    }

    [Fact]
    public async Task ChildLane_WithoutItsParent_IsAnError_NamingTheParent()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, "lanes:\n  openai/gpt-4o:\n    rps: 5\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"{config}: line 2, column 3: lane 'openai/gpt-4o' has no parent lane 'openai': add that lane (a child lane starts only when its parent has room too), or name this lane without '/'.\n",
            run.Error);
    }

    [Fact]
    public async Task ChildBackoff_ThatNoLongerFitsItsParents_NamesTheLaneItCameFrom()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, "lanes:\n  api:\n    retry:\n      maxDelay: 10s\n  api/slow:\n    retry:\n      baseDelay: 1m\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"{config}: line 7, column 18: lane 'api/slow': retry.maxDelay must be at least retry.baseDelay (1m), got 10s from lane 'api'.\n",
            run.Error);
    }

    [Fact]
    public async Task Validate_ShowsWhatAChildEndsUpWith_AndWhereEachValueCameFrom()
    {
        using var dir = new TempDir();
        string config = await WriteAsync(dir, """
            lanes:
              api:
                baseUrl: https://api.example.com/v1
                rpm: 600
                timeout: 30s
                retry:
                  retries: 4
                  statuses: [429, 503]
                headers:
                  Authorization: Bearer ${PACER_CLI_TEST_UNSET_IS_FINE_IN_NAME}
                  X-Org: acme
              api/small:
                rps: 2
                retries: 1
                headers:
                  X-Org: other
            """);
        Environment.SetEnvironmentVariable("PACER_CLI_TEST_UNSET_IS_FINE_IN_NAME", "sk-inherit-1");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            $"""
            api
              baseUrl      https://api.example.com/v1
              limits       4 at once (the default); 600/min (burst 1); margin 20ms
              headers      Authorization: ***
                           X-Org: acme
              retry        4 retries on 429, 503; backoff 1s to 30s
              timeout      30s
            api/small  (inside api)
              baseUrl      https://api.example.com/v1  (from api)
              limits       2/s (burst 1); margin 20ms; and api's limits
              headers      X-Org: other
                           Authorization: ***  (from api)
              retry        1 retry on 429, 503; backoff 1s to 30s  (statuses from api)
              timeout      30s  (from api)
            {config}: 2 lanes, valid.

            """,
            run.Out);
        Assert.DoesNotContain("sk-inherit-1", run.Out, StringComparison.Ordinal);
    }
}
