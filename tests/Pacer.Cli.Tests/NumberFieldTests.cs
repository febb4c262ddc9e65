using System.Text.Json;
using Pacer.Cli.Run;
using Pacer.Simulator;

namespace Pacer.Cli.Tests;

/// <summary>A field that must be a number and is not fails its own line; every other line runs.</summary>
public sealed class NumberFieldTests
{
    private const string Body = """{"model":"m","max_tokens":16,"messages":[{"role":"user","content":"hello"}]}""";

    private static string Chat(SimulatorHost host, string extra = "", string body = Body) =>
        $$"""{"url":"{{new Uri(host.BaseAddress, "v1/chat/completions")}}","method":"POST"{{extra}},"body":{{body}}}""";

    [Theory]
    [InlineData(""","priority":"high" """, "\"priority\" must be a whole number from -1000000 to 1000000, got \"high\"")]
    [InlineData(""","priority":null""", "\"priority\" must be a whole number from -1000000 to 1000000, got null")]
    [InlineData(""","priority":1.5""", "\"priority\" must be a whole number from -1000000 to 1000000, got 1.5")]
    [InlineData(""","priority":2000000""", "\"priority\" must be a whole number from -1000000 to 1000000, got 2000000")]
    [InlineData(""","priority":[1]""", "\"priority\" must be a whole number from -1000000 to 1000000, got [1]")]
    [InlineData(""","cost":"x" """, "\"cost\" must be a whole number from 0, got \"x\"")]
    [InlineData(""","cost":null""", "\"cost\" must be a whole number from 0, got null")]
    [InlineData(""","cost":-1""", "\"cost\" must be a whole number from 0, got -1")]
    [InlineData(""","cost":1e400""", "\"cost\" must be a whole number from 0, got 1e400")]
    public async Task NonNumberField_IsAnErrorForItsLineOnly(string field, string message)
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string input = Requests.Lines([Chat(host), Chat(host, field.TrimEnd()), Chat(host)]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], input);

        AssertOnlyTheMiddleLineFailed(run, message);
        Assert.Equal(2, host.GetStats().Total.Requests);
    }

    [Theory]
    [InlineData("max_tokens", "\"16\"")]
    [InlineData("max_completion_tokens", "true")]
    [InlineData("max_tokens", "0")]
    [InlineData("max_tokens", "16.5")]
    [InlineData("n", "\"2\"")]
    [InlineData("n", "129")]
    public async Task UnderATokenLimit_ANonNumberTheEstimateReads_IsAnErrorForItsLineOnly(string field, string value)
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string bad = $$"""{"model":"m","{{field}}":{{value}},"messages":[{"role":"user","content":"hello"}]}""";
        string input = Requests.Lines([Chat(host), Chat(host, body: bad), Chat(host)]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--tpm", "100000", "--progress", "none"], input);

        AssertOnlyTheMiddleLineFailed(run, $"body field \"{field}\" must be a whole number from 1");
        Assert.Contains($"got {value}; the lane's tokens per minute are estimated from it", CliRun.ReadResults(run.Out)[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderATokenLimit_WithUrl_ANonNumberMaxTokens_IsAnErrorForItsLineOnly()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string input = Requests.Lines([Body, Body.Replace("16", "\"16\"", StringComparison.Ordinal), Body]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--url", new Uri(host.BaseAddress, "v1/chat/completions").ToString(), "--tpm", "100000", "--progress", "none"], input);

        AssertOnlyTheMiddleLineFailed(run, "body field \"max_tokens\" must be a whole number from 1 or null, got \"16\"");
    }

    [Fact]
    public async Task UnderATokenLimit_ANullMaxTokensOrN_CountsAsAbsent()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string body = """{"model":"m","max_tokens":null,"n":null,"messages":[{"role":"user","content":"hello"}]}""";

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--tpm", "100000", "--progress", "none"], Requests.Lines([Chat(host, body: body)]));

        Assert.Equal(0, run.ExitCode);
        Assert.True(Assert.Single(CliRun.ReadResults(run.Out)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task GivenCost_AboveWhatTheLaneAllowsInAMinute_IsALineError_AndTheLaneGoesOn()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string input = Requests.Lines([Chat(host, ""","cost":9223372036854775807"""), Chat(host, ""","cost":10"""), Chat(host)]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--tpm", "1000", "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(3, results.Count);
        Assert.Equal(
            "line 1: \"cost\" of 9223372036854775807 tokens is more than lane 'default' allows in 60s (1000); no such request could start within the limit.",
            results[0].GetProperty("error").GetString());
        Assert.True(results[1].GetProperty("ok").GetBoolean());
        Assert.True(results[2].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Estimate_AboveWhatTheLaneAllowsInAMinute_IsALineError()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string huge = Body.Replace("16", "9223372036854775807", StringComparison.Ordinal).Replace("\"messages\"", "\"n\":128,\"messages\"", StringComparison.Ordinal);
        string input = Requests.Lines([Chat(host, body: huge), Chat(host)]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--tpm", "1000", "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.StartsWith($"line 1: the estimated cost of {long.MaxValue} tokens is more than lane 'default' allows in 60s (1000)", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(results[1].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void TokenEstimate_OfAHugeMaxTokensTimesN_DoesNotWrapAround()
    {
        using JsonDocument body = JsonDocument.Parse("""{"messages":[{"content":"12345678"}],"max_tokens":9223372036854775807,"n":128}""");

        Assert.Equal(long.MaxValue, TokenEstimator.Estimate(body.RootElement));
    }

    private static void AssertOnlyTheMiddleLineFailed(CliRun run, string message)
    {
        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(3, results.Count);
        Assert.Equal([0L, 1L, 2L], results.Select(r => r.GetProperty("index").GetInt64()));
        Assert.True(results[0].GetProperty("ok").GetBoolean(), results[0].ToString());
        Assert.True(results[2].GetProperty("ok").GetBoolean(), results[2].ToString());
        string error = results[1].GetProperty("error").GetString()!;
        Assert.StartsWith("line 2: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
