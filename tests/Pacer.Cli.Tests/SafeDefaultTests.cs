namespace Pacer.Cli.Tests;

/// <summary>Safe by default: a few requests at once unless told more; and --dry-run, which sends nothing.</summary>
public sealed class SafeDefaultTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Without_a_concurrency_a_lane_sends_at_most_four_at_once_and_the_summary_says_so()
    {
        int inFlight = 0;
        int most = 0;
        var gate = new object();
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RawHttpServer server = RawHttpServer.Answering(async (_, connection) =>
        {
            // Each answer is held until four are in flight (or a generous deadline passes), so
            // that requests overlap as far as the lane lets them: a fifth would arrive meanwhile.
            Task released;
            lock (gate)
            {
                InterlockedMax(ref most, Interlocked.Increment(ref inFlight));
                released = full.Task;
                if (inFlight >= 4)
                {
                    full.TrySetResult();
                    full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            try
            {
                await released.WaitAsync(TimeSpan.FromSeconds(5), connection.Stopping);
            }
            catch (TimeoutException)
            {
                // The last few of the input, fewer than four: answered anyway.
            }

            Interlocked.Decrement(ref inFlight);
            await connection.RespondAsync(200, "{}", "Content-Type: application/json");
        });
        string input = string.Concat(Enumerable.Range(0, 40).Select(i => $$"""{"id":{{i}},"url":"{{server.BaseUri}}x"}""" + "\n"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(40, server.Requests.Count);
        Assert.InRange(Volatile.Read(ref most), 1, 4);
        Assert.Contains("lane default sent at most 4 requests at once, the default: raise it with --concurrency", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_help_states_the_default_concurrency()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "--help"]);

        Assert.Contains("Default: 4", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_counts_each_lanes_requests_and_the_least_time_and_sends_nothing()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        string config = _dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, $"""
            lanes:
              api:
                baseUrl: {server.BaseUri}
                rps: 20
              api/slow:
                rpm: 60
            """);
        string input = string.Concat(Enumerable.Range(0, 200).Select(i => $$"""{"url":"x{{i}}","lane":"{{(i < 20 ? "api/slow" : "api")}}"}""" + "\n"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--dry-run"], input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, server.ConnectionCount);
        string[] lines = run.Out.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("api ", StringComparison.Ordinal) && l.Contains(" 200 ", StringComparison.Ordinal) && l.EndsWith("9.95s", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("api/slow ", StringComparison.Ordinal) && l.Contains(" 20 ", StringComparison.Ordinal) && l.EndsWith("19.00s", StringComparison.Ordinal));
        Assert.Contains("Dry run: nothing was sent", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_with_resume_counts_only_lines_without_a_result_and_changes_no_file()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}", "Content-Type: application/json"));
        string input = _dir.File("in.jsonl");
        string output = _dir.File("out.jsonl");
        await File.WriteAllTextAsync(input, string.Concat(Enumerable.Range(0, 5).Select(i => $$"""{"id":{{i}},"url":"{{server.BaseUri}}x"}""" + "\n")));
        CliRun first = await CliRun.InvokeAsync(["run", input, "--out", output, "--progress", "none"]);
        Assert.Equal(0, first.ExitCode);
        await File.AppendAllTextAsync(input, $$"""{"id":5,"url":"{{server.BaseUri}}x"}""" + "\n");
        byte[] before = await File.ReadAllBytesAsync(output);
        int sent = server.Requests.Count;

        CliRun dry = await CliRun.InvokeAsync(["run", input, "--out", output, "--resume", "--dry-run"]);

        Assert.Equal(0, dry.ExitCode);
        Assert.Contains(dry.Out.Split('\n'), l => l.StartsWith("default ", StringComparison.Ordinal) && l.Contains(" 1 ", StringComparison.Ordinal));
        Assert.Contains("5 line(s) already have a result", dry.Out, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(output));
        Assert.False(File.Exists(output + ".lock"));
        Assert.Equal(sent, server.Requests.Count);
    }

    [Fact]
    public async Task Dry_run_names_a_bad_line_and_exits_2()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--dry-run"], """{"url":"ftp://x"}""" + "\n");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("line 1: \"url\" must be an absolute http or https URL", run.Error, StringComparison.Ordinal);
        Assert.Contains("1 bad line(s)", run.Out, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
            seen = Volatile.Read(ref target);
        }
    }
}
