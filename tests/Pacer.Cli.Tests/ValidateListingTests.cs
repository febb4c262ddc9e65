namespace Pacer.Cli.Tests;

/// <summary><c>pacer validate</c> lists each lane as the file reads: rates per second or minute, tokens labelled, proper plurals, secrets masked.</summary>
public sealed class ValidateListingTests
{
    [Fact]
    public async Task Listing_ReadsLikeTheFile()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, """
            lanes:
              openai:
                baseUrl: https://api.openai.com/v1?project=p1&sig=s3cr3t-sig
                concurrency: 1000
                rps: 20
                tpm: 60000
                timeout: 90s
                retry:
                  retries: 1
                  baseDelay: 500ms
                  maxDelay: 2m
                headers:
                  Authorization: Bearer sk-literal-listing-1
              slow:
                rpm: 0.5
                burst: 2
                adaptive: true
                margin: 0
            """);

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            $"""
            openai
              baseUrl      https://api.openai.com/v1?project=***&sig=***
              limits       1,000 at once; 20/s (burst 1); 60,000 tokens/min (burst 1,000); margin 20ms
              headers      Authorization: ***
              retry        1 retry on 408, 429, 500, 502, 503, 504; backoff 500ms to 2m
              timeout      90s
            slow
              baseUrl      none
              limits       4 at once (the default); 0.5/min, 1 every 2m (burst 2), adaptive; margin 0s
              headers      none
              retry        2 retries on 408, 429, 500, 502, 503, 504; backoff 1s to 30s  (default)
              timeout      none
            {config}: 2 lanes, valid.

            """,
            run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task OneLane_IsOneLane()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, "lanes:\n  a:\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith($"\n{config}: 1 lane, valid.\n", run.Out, StringComparison.Ordinal);
    }
}
