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

    private static long? ReadEvents(string stream)
    {
        using var response = new HttpResponseMessage { Content = new StringContent("", Encoding.UTF8, "text/event-stream") };
        return TokenUsage.Read(response, Encoding.UTF8.GetBytes(stream));
    }

    [Fact]
    public void OpenAIChatStream_WithIncludeUsage_IsReadFromItsLastChunk()
    {
        const string stream = """
            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

            data: [DONE]


            """;

        Assert.Equal(11, ReadEvents(stream));
    }

    [Fact]
    public void ResponsesStream_IsReadFromResponseCompleted()
    {
        const string stream = """
            event: response.output_text.delta
            data: {"type":"response.output_text.delta","delta":"Hi"}

            event: response.completed
            data: {"type":"response.completed","response":{"id":"resp_1","status":"completed","usage":{"input_tokens":20,"output_tokens":5,"total_tokens":25}}}


            """;

        Assert.Equal(25, ReadEvents(stream));
    }

    [Fact]
    public void AnthropicStream_AddsMessageStartInputToTheLastDeltaOutput()
    {
        const string stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","usage":{"input_tokens":25,"cache_creation_input_tokens":5,"output_tokens":1}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}

            event: message_stop
            data: {"type":"message_stop"}


            """;

        Assert.Equal(25 + 5 + 15, ReadEvents(stream));
    }

    [Theory]
    [InlineData("data: {\"choices\":[]}\n\ndata: [DONE]\n\n")]
    [InlineData("data: {\"usage\": \n\n")]
    [InlineData("event: ping\n\n")]
    [InlineData("")]
    public void StreamsWithoutUsage_GiveNoCount(string stream) => Assert.Null(ReadEvents(stream));
}
