using System.Text;
using System.Text.Json;
using Pacer.Cli.Config;
using Pacer.Cli.Run;
using Pacer.Simulator;

namespace Pacer.Cli.Tests;

/// <summary>
/// Seeded random damage to valid input lines, of both shapes, with and without a token limit:
/// whatever a line holds, it gets one result with its index, and the run neither dies nor hangs.
/// </summary>
public sealed class InputFuzzTests
{
    /// <summary>Mutated lines per run of <c>pacer run</c>.</summary>
    private const int LinesPerRun = 150;

    /// <summary>Mutated lines per parser in the unit-level fuzz.</summary>
    private const int LinesPerParser = 3000;

    private static string[] RequestLines(string origin) =>
    [
        $$$"""{"id":1,"url":"{{{origin}}}echo","method":"POST","headers":{"X-A":"a","Authorization":"Bearer k"},"body":{"n":1},"priority":1,"metadata":{"k":"v"}}""",
        $$$"""{"id":"c","url":"{{{origin}}}v1/chat/completions","method":"POST","body":{"model":"m","max_tokens":8,"n":1,"messages":[{"role":"user","content":"hi"}]}}""",
        $$$"""{"url":"{{{origin}}}echo","method":"POST","cost":3,"lane":"default","body":"text"}""",
        $$$"""{"url":"{{{origin}}}echo?x=1","method":"PUT","headers":{"X-B":"b"},"body":[1,2,{"messages":["m"]}]}""",
    ];

    private static readonly string[] s_bodyLines =
    [
        """{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"hi"}],"metadata":{"row":1}}""",
        """{"model":"m","prompt":"hello","n":2,"max_completion_tokens":4}""",
        """{"input":["a","b"],"metadata":{"row":[1,2]}}""",
    ];

    [Theory]
    [InlineData(false, false, 101)]
    [InlineData(false, true, 202)]
    [InlineData(true, false, 303)]
    [InlineData(true, true, 404)]
    public async Task MutatedLines_EachGetOneResultWithTheirIndex_AndTheRunEndsWith0Or1(bool bodies, bool tokenLimit, int seed)
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string origin = host.BaseAddress.ToString();
        string[] valid = bodies ? s_bodyLines : RequestLines(origin);
        var mutator = new LineMutator(seed, protectedPrefix: origin);
        using var dir = new TempDir();
        string input = dir.File("in.jsonl");
        await using (FileStream file = File.Create(input))
        {
            for (int i = 0; i < LinesPerRun; i++)
            {
                // One line in five is left whole, so that every run also sends.
                string line = valid[i % valid.Length];
                await file.WriteAsync(i % 5 == 0 ? Encoding.UTF8.GetBytes(line) : mutator.Mutate(line));
                await file.WriteAsync("\n"u8.ToArray());
            }
        }

        // Read as pacer reads it: a mutation may have put a line break or a byte-order mark in.
        List<long> expected = [.. File.ReadLines(input).Select((text, index) => (text, index)).Where(l => !string.IsNullOrWhiteSpace(l.text)).Select(l => (long)l.index)];
        string[] args = bodies
            ? ["run", input, "--url", new Uri(host.BaseAddress, "v1/chat/completions").ToString()]
            : ["run", input];
        string[] limits = tokenLimit ? ["--tpm", "1000000"] : [];

        CliRun run = await CliRun.InvokeAsync([.. args, .. limits, "--retries", "0", "--timeout", "5s", "--progress", "none"]);

        Assert.True(run.ExitCode is 0 or 1, $"exit {run.ExitCode}:\n{run.Error}");
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.True(expected.SequenceEqual(results.Select(r => r.GetProperty("index").GetInt64())), $"results for lines {string.Join(",", results.Select(r => r.GetProperty("index").GetInt64()))}:\n{run.Error}");
        foreach (JsonElement result in results)
        {
            if (result.GetProperty("error").GetString() is { } error)
            {
                Assert.StartsWith($"line {result.GetProperty("index").GetInt64() + 1}: ", error, StringComparison.Ordinal);
            }
        }

        Assert.Contains(results, r => r.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task RequestParser_GivesEveryMutatedLineARequestThatCanBeSent_OrAnErrorNamingIt()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, """
            lanes:
              api:
                baseUrl: http://127.0.0.1:9/v1?key=k
                tpm: 100000
                headers:
                  Authorization: Bearer k
              api/small:
                tpm: 1000
              other:
                baseUrl: http://127.0.0.1:9/other/
            """);
        var errors = new List<string>();
        IReadOnlyList<LaneConfig> configured = ConfigLoader.Load(config, _ => null, errors)!;
        Assert.Empty(errors);
        string origin = "http://127.0.0.1:9/";
        string[] withLanes = [.. RequestLines(origin), """{"lane":"api","url":"chat?x=1","method":"POST","body":{"max_tokens":5,"messages":[]}}""", """{"lane":"api/small","url":"http://127.0.0.1:9/v1/x","cost":7}"""];
        (RunSettings Settings, IReadOnlyList<LaneConfig>? Lanes, string[] Lines)[] parsers =
        [
            (new RunSettings { Input = "-" }, null, RequestLines(origin)),
            (new RunSettings { Input = "-", Tpm = 100_000, Headers = [new("X-Flag", "f")] }, null, RequestLines(origin)),
            (new RunSettings { Input = "-", Url = origin + "v1/chat/completions" }, null, s_bodyLines),
            (new RunSettings { Input = "-", Url = origin + "v1/chat/completions", Tpm = 1000 }, null, s_bodyLines),
            (new RunSettings { Input = "-" }, configured, withLanes),
        ];

        for (int p = 0; p < parsers.Length; p++)
        {
            (RunSettings settings, IReadOnlyList<LaneConfig>? lanes, string[] lines) = parsers[p];
            var parser = new RequestParser(settings, lanes ?? [settings.FlagLane()]);
            var mutator = new LineMutator(seed: 7 + p);
            for (int i = 0; i < LinesPerParser; i++)
            {
                string text = Encoding.UTF8.GetString(mutator.Mutate(lines[i % lines.Length]));
                InputLine line = parser.Parse(i, text);

                Assert.Equal(i, line.Index);
                Assert.True((line.Request is null) != (line.Error is null), text);
                if (line.Error is { } error)
                {
                    Assert.StartsWith($"line {i + 1}: ", error, StringComparison.Ordinal);
                    Assert.DoesNotContain('\n', error);
                    Assert.DoesNotContain('\r', error);
                }
                else
                {
                    AssertCanBeSent(line.Request!, text);
                }
            }
        }
    }

    private static void AssertCanBeSent(RequestSpec request, string text)
    {
        Assert.True(request.Url.IsAbsoluteUri && request.Url.Scheme is "http" or "https", text);
        Assert.True(RequestParser.IsMethod(request.Method.Method), text);
        Assert.All(request.Headers, h => Assert.Null(HeaderParser.Problem(h.Key, h.Value)));
        Assert.InRange(request.Priority, -RequestParser.MaxPriority, RequestParser.MaxPriority);
        Assert.InRange(request.Cost, 0, long.MaxValue);
        using var message = new HttpRequestMessage(request.Method, request.Url);
        Assert.All(request.Headers, h => Assert.True(message.Headers.TryAddWithoutValidation(h.Key, h.Value)));
    }
}
