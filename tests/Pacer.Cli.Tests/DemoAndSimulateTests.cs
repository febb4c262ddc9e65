using System.Text.Json;
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
        await using var simulate = await RunningSimulate.StartAsync(["simulate", "--port", "0", "--rps", "50"]);
        using (var content = new StringContent("{\"hello\":1}"))
        {
            using HttpResponseMessage response = await simulate.Client.PostAsync(new Uri("echo", UriKind.Relative), content).WaitAsync(CliRun.Deadline);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"hello\":1}", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, await simulate.StopAsync());
    }

    [Fact]
    public async Task Simulate_takes_the_simulators_own_flags()
    {
        await using var simulate = await RunningSimulate.StartAsync(
            ["simulate", "--port", "0", "--rule", "key=k1,route=echo,rpm=7", "--projects", "2", "--slow-delay", "1m30s"]);

        using JsonDocument limits = JsonDocument.Parse(await simulate.Client.GetStringAsync(new Uri("_sim/limits", UriKind.Relative)).WaitAsync(CliRun.Deadline));
        JsonElement rule = Assert.Single(limits.RootElement.GetProperty("rules").EnumerateArray());
        Assert.Equal(("k1", "echo", 7), (rule.GetProperty("apiKey").GetString(), rule.GetProperty("route").GetString(), rule.GetProperty("limits").GetProperty("requestsPerMinute").GetInt32()));
        using JsonDocument projects = JsonDocument.Parse(await simulate.Client.GetStringAsync(new Uri("api/projects", UriKind.Relative)).WaitAsync(CliRun.Deadline));
        Assert.Equal(2, projects.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(0, await simulate.StopAsync());
    }

    [Fact]
    public async Task Simulate_help_lists_every_simulator_flag()
    {
        CliRun run = await CliRun.InvokeAsync(["simulate", "--help"]);

        Assert.True(run.ExitCode == 0, run.Error);
        foreach (string flag in (string[])["--port", "--seed", "--rps", "--rule", "--distribution", "--error-ratio", "--unavailable-retry-after", "--slow-delay", "--projects", "--max-page-size"])
        {
            Assert.Contains(flag + " ", run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("[default: 5080]", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--web --out r.jsonl", "--out does not apply to --web")]
    [InlineData("--web --progress plain", "--progress does not apply to --web")]
    [InlineData("--urls http://127.0.0.1:0", "--urls applies only to --web.")]
    [InlineData("--web --urls http://0.0.0.0:0", "--urls: 'http://0.0.0.0:0' is reachable from other machines")]
    public async Task Demo_refuses_flags_that_do_not_go_together_naming_them(string flags, string error)
    {
        CliRun run = await CliRun.InvokeAsync(["demo", .. flags.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_rejects_a_bad_rule_naming_the_flag()
    {
        CliRun run = await CliRun.InvokeAsync(["simulate", "--port", "0", "--rule", "key=a,route=nope"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("--rule route must be one of chat, messages, listing, echo, got 'nope'.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_rejects_values_out_of_range_with_the_options_message()
    {
        CliRun run = await CliRun.InvokeAsync(["simulate", "--port", "0", "--error-ratio", "2"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("Faults.ServerErrorRatio must be from 0 to 1, got 2.", run.Error, StringComparison.Ordinal);
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

    /// <summary><c>pacer simulate</c> running in-process, with a client for the address it printed.</summary>
    private sealed class RunningSimulate : IAsyncDisposable
    {
        private readonly SignallingWriter _output = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<int> _running;

        private RunningSimulate(string[] args) =>
            _running = PacerCli.InvokeAsync(args, new CliIo(TextReader.Null, _output, TextWriter.Null), handleSignals: false, _stop.Token);

        public HttpClient Client { get; } = new();

        /// <summary>Starts the command and waits until it prints the address it listens on.</summary>
        public static async Task<RunningSimulate> StartAsync(string[] args)
        {
            var simulate = new RunningSimulate(args);
            try
            {
                Task first = await Task.WhenAny(simulate._output.FirstLine, simulate._running).WaitAsync(CliRun.Deadline);
                string line = first == simulate._running ? $"exited with {await simulate._running} before printing an address" : await simulate._output.FirstLine;
                Match address = AddressPattern().Match(line);
                Assert.True(address.Success, line);
                simulate.Client.BaseAddress = new Uri(address.Value);
                return simulate;
            }
            catch
            {
                await simulate.DisposeAsync();
                throw;
            }
        }

        /// <summary>Cancels the command, as Ctrl+C does, and returns its exit code.</summary>
        public async Task<int> StopAsync()
        {
            await _stop.CancelAsync();
            return await _running.WaitAsync(CliRun.Deadline);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _stop.CancelAsync();
            await ((Task)_running).WaitAsync(CliRun.Deadline).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stop.Dispose();
            await _output.DisposeAsync();
        }
    }

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
