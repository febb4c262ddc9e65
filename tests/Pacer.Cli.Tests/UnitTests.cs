using System.Text.Json;
using Pacer.Cli.Progress;
using Pacer.Cli.Run;

namespace Pacer.Cli.Tests;

public sealed class UnitTests
{
    [Fact]
    public void TokenEstimate_IsPromptCharactersOverFour_PlusMaxTokens()
    {
        using JsonDocument body = JsonDocument.Parse("""{"model":"m","max_tokens":100,"messages":[{"role":"user","content":"12345678"},{"role":"system","content":[{"type":"text","text":"abcd"}]}]}""");

        Assert.Equal(3 + 100, TokenEstimator.Estimate(body.RootElement));
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"12345678"}],"max_tokens":10,"n":3}""", 2 + 30)] // n choices
    [InlineData("""{"messages":[{"role":"user","content":"12345678"}]}""", 2 + 15)]                      // no max: the cookbook's 15
    [InlineData("""{"prompt":"1234"}""", 1 + 15)]
    [InlineData("""{"model":"e","input":"12345678"}""", 2)]                                             // an embedding completes nothing
    [InlineData("""{"input":"1234","max_output_tokens":50}""", 1 + 50)]
    [InlineData("""[1]""", 1)]
    public void TokenEstimate_FollowsTheCookbook(string json, long expected)
    {
        using JsonDocument body = JsonDocument.Parse(json);

        Assert.Equal(expected, TokenEstimator.Estimate(body.RootElement));
    }

    [Fact]
    public void RecentResults_AreNewestFirst_NamingLaneLineIdAndOutcome()
    {
        var recent = new RecentResults(capacity: 3);
        recent.Add(new RunResult(0, "\"a\"", true, 200, 1, "openai", 431, null, null, null));
        recent.Add(new RunResult(4, null, false, 404, 1, "search", 12, null, "line 5: HTTP 404 Not Found", null));
        recent.Add(new RunResult(6, "7", false, null, 0, null, 0, null, "line 7: not valid JSON", null));
        recent.Add(new RunResult(8, "9", true, 201, 3, "openai", 12050, null, null, null) { QueuedMilliseconds = 10000 });

        // The line number is marked (#), apart from the status; the request's time apart from its wait.
        Assert.Equal(
            [
                "openai #9 (id 9) → 201 OK, 2.05s (queued 10.0s), 3 attempts",
                "- #7 (id 7) → not valid JSON",
                "search #5 → HTTP 404 Not Found, 0.01s",
            ],
            recent.Describe(5));
        Assert.Single(recent.Describe(1));
    }

    [Fact]
    public async Task OrderedSink_ReadsNoFurtherThanTheWindowPastTheOldestUnwritten()
    {
        using var writer = new StringWriter();
        var sink = new ResultSink(writer, ordered: true, window: 2);
        await sink.WaitForRoomAsync(0, CancellationToken.None);
        await sink.WaitForRoomAsync(1, CancellationToken.None);
        Task third = sink.WaitForRoomAsync(2, CancellationToken.None).AsTask();

        sink.Complete(Result(1), opened: true);
        Assert.False(third.IsCompleted);
        Assert.Equal(string.Empty, writer.ToString());

        sink.Complete(Result(0), opened: true);
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([0L, 1L], CliRun.ReadResults(writer.ToString()).Select(r => r.GetProperty("index").GetInt64()));
    }

    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("{\n  \"a\": [1, 2]\n}", "{\"a\":[1,2]}")]
    [InlineData("\uFEFF[true]", "[true]")]
    [InlineData("not json", "\"not json\"")]
    [InlineData("{\"a\":1} trailing", "\"{\\\"a\\\":1} trailing\"")]
    [InlineData("", "null")]
    public void ResultBody_IsWrittenAsJsonOnOneLine_WhenItIsJson_ElseAsAString(string body, string written)
    {
        RunResult result = Result(0) with { Body = System.Text.Encoding.UTF8.GetBytes(body) };

        string line = result.ToJsonLine();

        Assert.DoesNotContain('\n', line);
        Assert.Contains($"\"body\":{written},", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Sink_WhoseOutputFails_ReportsTheFailure_AndWritesNoMore()
    {
        using var writer = new FailingWriter();
        var sink = new ResultSink(writer, ordered: false, window: 10);

        sink.Complete(Result(0), opened: false);
        sink.Complete(Result(1), opened: false);

        Assert.Equal("No space left on device", sink.Failure?.Message);
        Assert.Equal(1, writer.Lines);
    }

    [Theory]
    [InlineData("8MiB", 8L << 20)]
    [InlineData("512 KiB", 512L << 10)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("100MB", 100_000_000)]
    [InlineData("1000000", 1_000_000)]
    [InlineData("2047MiB", 2047L << 20)]
    public void Sizes_AreRead(string text, long bytes)
    {
        Assert.True(SizeParser.TryParse(text, out long read));
        Assert.Equal(bytes, read);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1MiB")]
    [InlineData("2048MiB")]
    [InlineData("MiB")]
    [InlineData("8 apples")]
    public void BadSizes_AreRefused(string text) => Assert.False(SizeParser.TryParse(text, out _));

    [Theory]
    [InlineData("""{"index":3,"ok":true}""", 3L)]
    [InlineData("""{"index":3,"error":"cancelled"}""", null)]
    [InlineData("""{"index":-1}""", null)]
    [InlineData("""{"index":"3"}""", null)]
    [InlineData("""{"index":null}""", null)]
    [InlineData("""[3]""", null)]
    [InlineData("""{"index":3,"fingerprint":"00000000000000ff"}""", 3L)]
    public void ResumeFile_ReadsAFinishedResult_AndNothingElse(string line, long? index)
    {
        bool read = ResumeFile.TryReadFinished(line, out long readIndex, out _);

        Assert.Equal(index is not null, read);
        Assert.Equal(index ?? readIndex, readIndex);
    }

    private sealed class FailingWriter : StringWriter
    {
        public int Lines { get; private set; }

        public override void WriteLine(string? value)
        {
            Lines++;
            throw new IOException("No space left on device");
        }
    }

    private static RunResult Result(long index) => new(index, null, true, 200, 1, "default", 1, "{}"u8.ToArray(), null, null);
}
