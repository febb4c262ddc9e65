using System.Text.Json;

namespace Pacer.Simulator.Tests.Endpoints;

public class PromptReaderTests
{
    private static ReadResult<PromptRequest> Read(string json, bool anthropic = false)
    {
        using var document = JsonDocument.Parse(json);
        return PromptReader.Read(document.RootElement, anthropic);
    }

    [Fact]
    public void PromptTokens_AreCharactersOverFourRoundedUp()
    {
        var read = Read("""{"model":"m","messages":[{"role":"user","content":"12345"},{"role":"user","content":"123"}],"max_tokens":7}""");

        Assert.Equal(2, read.Request!.PromptTokens);
        Assert.Equal(9, read.Request.Cost);
    }

    [Fact]
    public void TextParts_AndTheSystemPrompt_Count()
    {
        var read = Read(
            """{"model":"m","system":[{"type":"text","text":"abcd"}],"max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"abcdefgh"},{"type":"image"}]}]}""",
            anthropic: true);

        Assert.Equal(3, read.Request!.PromptTokens);
    }

    [Fact]
    public void OpenAI_WithoutMaxTokens_AssumesTheDefault() =>
        Assert.Equal(PromptConstants.DefaultMaxTokens, Read("""{"model":"m","messages":[{"role":"user","content":"x"}]}""").Request!.MaxTokens);

    [Fact]
    public void OpenAI_MaxCompletionTokens_IsRead() =>
        Assert.Equal(12, Read("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_completion_tokens":12}""").Request!.MaxTokens);

    [Theory]
    [InlineData("""[]""", false, "The body must be a JSON object.")]
    [InlineData("""{"messages":[{"content":"x"}]}""", false, "model is required and must be a non-empty string.")]
    [InlineData("""{"model":"m","messages":[]}""", false, "messages is required and must be a non-empty array.")]
    [InlineData("""{"model":"m","messages":[{"content":5}]}""", false, "messages[0].content must be a string or an array of text parts.")]
    [InlineData("""{"model":"m","messages":[{"content":"x"}],"max_tokens":0}""", false, "max_tokens must be an integer from 1 to 1000000, got 0.")]
    [InlineData("""{"model":"m","messages":[{"content":"x"}]}""", true, "max_tokens is required.")]
    public void Mistakes_AreAnswered400WithTheField(string json, bool anthropic, string message)
    {
        var read = Read(json, anthropic);

        Assert.Null(read.Request);
        Assert.Equal(400, read.Error.StatusCode);
        Assert.Equal(message, read.Error.Message);
    }

    [Fact]
    public void Reply_HasFourCharactersPerToken()
    {
        Assert.Equal(PromptConstants.ReplyTokens * PromptConstants.CharactersPerToken, PromptConstants.Reply.Length);
        var shortReply = new PromptRequest("m", 1, 3);
        Assert.Equal(12, shortReply.ReplyText.Length);
        Assert.True(shortReply.Truncated);
    }
}
