using System.Text.RegularExpressions;

namespace Pacer.Cli.Tests;

public sealed partial class DemoAndSimulateTests
{
    [Fact]
    public async Task Demo_runs_every_request_through_three_lanes_and_prints_the_summary()
    {
        using var dir = new TempDir();
        string results = Path.Combine(dir.Path, "demo.jsonl");

        CliRun run = await CliRun.InvokeAsync(["demo", "--requests", "60", "--progress", "plain", "--out", results]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Out);
        var lines = CliRun.ReadResults(await File.ReadAllTextAsync(results));
        Assert.Equal(60, lines.Count);
        Assert.All(lines, l => Assert.True(l.GetProperty("ok").GetBoolean(), l.ToString()));
        Assert.Equal(["anthropic", "openai", "search"], lines.Select(l => l.GetProperty("lane").GetString()).Distinct().Order());
        Assert.Contains("429s", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"wall time \d+\.\d\ds; the limits allow no less than \d+\.\d\ds", run.Error);
        foreach (string lane in (string[])["openai", "anthropic", "search"])
        {
            Assert.Matches(new Regex($@"(?m)^{lane}\s+\d+\s+0\s+0\s+"), run.Error);
        }
    }

    [Fact]
    public async Task Demo_live_progress_draws_a_table_per_lane()
    {
        CliRun run = await CliRun.InvokeAsync(["demo", "--requests", "20", "--progress", "live"]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("rate now", run.Error, StringComparison.Ordinal);
        Assert.Contains("20/20 done", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_answers_on_its_address_until_cancelled()
    {
        using var output = new SignallingWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        Task<int> running = PacerCli.InvokeAsync(["simulate", "--port", "0", "--rps", "50"], new CliIo(TextReader.Null, output, error), handleSignals: false, stop.Token);

        string line = await output.FirstLine.WaitAsync(CliRun.Deadline);
        Match address = AddressPattern().Match(line);
        Assert.True(address.Success, line);
        using (var client = new HttpClient())
        using (var content = new StringContent("{\"hello\":1}"))
        {
            using HttpResponseMessage response = await client.PostAsync(new Uri(new Uri(address.Value), "echo"), content).WaitAsync(CliRun.Deadline);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"hello\":1}", await response.Content.ReadAsStringAsync());
        }

        await stop.CancelAsync();
        Assert.Equal(0, await running.WaitAsync(CliRun.Deadline));
    }

    [Fact]
    public void Least_time_is_the_slowest_rate_after_its_burst()
    {
        Assert.Null(Pacer.Cli.Run.RunSummary.LeastSeconds(100, []));
        Assert.Equal(4.5, Pacer.Cli.Run.RunSummary.LeastSeconds(100, [RateLimit.PerSecond(20, burst: 10), RateLimit.PerMinute(6000)]));
        Assert.Equal(0, Pacer.Cli.Run.RunSummary.LeastSeconds(3, [RateLimit.PerSecond(20, burst: 10)]));
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex AddressPattern();

    /// <summary>A writer that tells when its first line is complete.</summary>
    private sealed class SignallingWriter : StringWriter
    {
        private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstLine => _firstLine.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            _firstLine.TrySetResult(value ?? "");
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
