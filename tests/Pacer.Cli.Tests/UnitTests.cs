using System.Text.Json;
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

    [Fact]
    public async Task OrderedSink_ReadsNoFurtherThanTheWindowPastTheOldestUnwritten()
    {
        using var writer = new StringWriter();
        using var sink = new ResultSink(writer, ordered: true, window: 2);
        await sink.WaitForRoomAsync(0, CancellationToken.None);
        await sink.WaitForRoomAsync(1, CancellationToken.None);
        Task third = sink.WaitForRoomAsync(2, CancellationToken.None);

        await sink.CompleteAsync(Result(1), opened: true);
        Assert.False(third.IsCompleted);
        Assert.Equal(string.Empty, writer.ToString());

        await sink.CompleteAsync(Result(0), opened: true);
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([0L, 1L], CliRun.ReadResults(writer.ToString()).Select(r => r.GetProperty("index").GetInt64()));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("00:00:01", 1000)]
    public void Durations_AreRead(string text, int milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out TimeSpan duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    private static RunResult Result(long index) => new(index, null, true, 200, 1, "default", 1, "{}", null, null);
}
