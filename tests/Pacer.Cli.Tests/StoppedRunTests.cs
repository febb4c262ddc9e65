namespace Pacer.Cli.Tests;

/// <summary>A run stopped early counts only what it sent, shows the cancelled apart, and ends with the command that sends the rest.</summary>
public sealed class StoppedRunTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_interrupted_run_names_what_was_cancelled_and_the_resume_command()
    {
        await using RawHttpServer server = RawHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.StallAsync();
            }
        });
        string input = _dir.File("in put.jsonl");
        string output = _dir.File("out.jsonl");
        await File.WriteAllTextAsync(input, string.Concat(Enumerable.Range(0, 20).Select(i => $$"""{"id":{{i}},"url":"{{server.BaseUri}}x"}""" + "\n")));
        using var interrupt = new CancellationTokenSource();

        Task<CliRun> running = CliRun.InvokeAsync(["run", input, "--out", output, "--concurrency", "2", "--progress", "plain"], "", interrupt.Token);
        await Eventually.HoldsAsync(() => server.Requests.Count == 2, "two requests in flight");
        await interrupt.CancelAsync();
        CliRun run = await running;

        // The lines read by the interrupt are cancelled: all 20, unless the reader was still reading
        // (a busy machine); the resume command sends the rest either way.
        Assert.Equal(ExitCodes.Interrupted, run.ExitCode);
        System.Text.RegularExpressions.Match cancelled = System.Text.RegularExpressions.Regex.Match(
            run.Error, @"Interrupted: (\d+) line\(s\) were cancelled\. To send what is left, and only that: ");
        Assert.True(cancelled.Success, run.Error);
        int read = int.Parse(cancelled.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(read, 2, 20);
        Assert.Contains($"pacer run '{input}' --out {output} --concurrency 2 --progress plain --resume", run.Error, StringComparison.Ordinal);

        // Only 2 were sent: the summary's rate is the 2 the service saw, and the progress does not
        // count the cancelled as done.
        Assert.Contains($"0/{read} done, 0 failed, {read} cancelled", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain($"{read}/{read} done", run.Error, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_fail_fast_run_says_how_to_send_what_it_cancelled()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(400, "{}", "Content-Type: application/json"));
        string input = _dir.File("in.jsonl");
        string output = _dir.File("out.jsonl");
        await File.WriteAllTextAsync(input, string.Concat(Enumerable.Range(0, 10).Select(i => $$"""{"id":{{i}},"url":"{{server.BaseUri}}x"}""" + "\n")));

        CliRun run = await CliRun.InvokeAsync(["run", input, "--out", output, "--concurrency", "1", "--rps", "1", "--fail-fast", "--progress", "none"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Stopped at the first failure (--fail-fast): 9 line(s) were cancelled. To send what is left, and only that: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("--fail-fast --progress none --resume", run.Error, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Without_an_out_file_the_hint_says_to_give_one()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(400, "{}", "Content-Type: application/json"));
        string lines = string.Concat(Enumerable.Range(0, 3).Select(i => $$"""{"id":{{i}},"url":"{{server.BaseUri}}x"}""" + "\n"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--concurrency", "1", "--rps", "1", "--fail-fast", "--progress", "none"], lines);

        Assert.Contains("give --out FILE, and then --resume finishes a run like this one", run.Error, StringComparison.Ordinal);
    }
}
