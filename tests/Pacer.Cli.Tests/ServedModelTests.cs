using Pacer.Cli.Config;
using Pacer.Cli.Run;
using Pacer.Cli.Serve;

namespace Pacer.Cli.Tests;

/// <summary>The model a served request names, which the dashboard shows beside its recent completions.</summary>
public sealed class ServedModelTests
{
    private static readonly LaneConfig Api = new("api", new Uri("https://api.example.com/"), new LaneOptions(), [], LaneRetry.Default, null);

    private static string? ModelOf(string line)
    {
        InputLine read = new RequestParser(new RunSettings { Input = "-" }, [Api]).Parse(0, line);
        Assert.True(read.Error is null, read.Error);
        return ServedRequests.ModelOf(read.Request!);
    }

    [Theory]
    [InlineData("""{"lane":"api","url":"/v1/chat","method":"POST","body":{"model":"gpt-4o","messages":[]}}""", "gpt-4o")]
    [InlineData("""{"lane":"api","url":"/v1/chat","method":"POST","body":{"messages":[{"model":"inner"}],"model":"claude-sonnet"}}""", "claude-sonnet")]
    [InlineData("""{"lane":"api","url":"/v1/chat","method":"POST","body":{"messages":[{"model":"inner"}]}}""", null)]
    [InlineData("""{"lane":"api","url":"/v1/chat","method":"POST","body":{"model":42}}""", null)]
    [InlineData("""{"lane":"api","url":"/v1/chat","method":"POST","body":"model"}""", null)]
    [InlineData("""{"lane":"api","url":"/v1/chat"}""", null)]
    public void The_model_is_the_bodys_own_top_level_string(string line, string? model) =>
        Assert.Equal(model, ModelOf(line));
}
