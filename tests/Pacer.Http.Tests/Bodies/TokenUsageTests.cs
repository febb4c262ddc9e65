using System.Text;

namespace Pacer.Http.Tests.Bodies;

public sealed class TokenUsageTests
{
    private static long? Read(string body)
    {
        using var response = new HttpResponseMessage();
        return TokenUsage.Read(response, Encoding.UTF8.GetBytes(body));
    }

    [Theory]
    // OpenAI chat completion.
    [InlineData("""{"id":"chatcmpl-1","object":"chat.completion","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0}}}""", 29L)]
    // OpenAI responses API.
    [InlineData("""{"id":"resp_1","object":"response","usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},"output_tokens":87,"total_tokens":123}}""", 123L)]
    // OpenAI embeddings.
    [InlineData("""{"object":"list","data":[],"usage":{"prompt_tokens":8,"total_tokens":8}}""", 8L)]
    // Anthropic message, with a prompt cache write and read (reads do not count).
    [InlineData("""{"id":"msg_1","type":"message","usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":400,"output_tokens":6}}""", 118L)]
    [InlineData("""{"type":"message","usage":{"input_tokens":3,"output_tokens":16}}""", 19L)]
    // Counts without a total.
    [InlineData("""{"usage":{"prompt_tokens":5,"completion_tokens":7}}""", 12L)]
    public void KnownShapes_AreRead(string body, long expected) => Assert.Equal(expected, Read(body));

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"usage":""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"id":"x"}""")]
    [InlineData("""{"usage":null}""")]
    [InlineData("""{"usage":{"total_tokens":"12"}}""")]
    [InlineData("""{"usage":{"total_tokens":-3}}""")]
    [InlineData("""{"usage":{"total_tokens":1.5}}""")]
    [InlineData("""{"usage":{"input_tokens":3}}""")]
    [InlineData("""{"usage":{"total_tokens":99999999999}}""")]
    public void OtherBodies_GiveNoCount_AndNeverThrow(string body) => Assert.Null(Read(body));
}
