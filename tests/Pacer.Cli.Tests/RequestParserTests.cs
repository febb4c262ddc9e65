using Pacer.Cli.Config;
using Pacer.Cli.Run;

namespace Pacer.Cli.Tests;

/// <summary><see cref="RequestParser"/> on its own: each field read, and each wrong one named with its line.</summary>
public sealed class RequestParserTests
{
    private static readonly LaneConfig Api = new(
        "api", new Uri("https://api.example.com/v1/"), new LaneOptions(), [new("Authorization", "Bearer k")], LaneRetry.Default, null);

    private static readonly LaneConfig Tokens = new(
        "tokens", new Uri("https://llm.example.com/"), new LaneOptions { CostRates = { RateLimit.PerMinute(60_000, burst: 1_000) } }, [], LaneRetry.Default, null);

    private static RequestParser Flags(RunSettings? settings = null) =>
        new(settings ?? new RunSettings { Input = "-" }, [new RunSettings { Input = "-" }.FlagLane()]);

    private static RequestParser Config() => new(new RunSettings { Input = "-" }, [Api, Tokens]);

    private static InputLine Ok(RequestParser parser, string line)
    {
        InputLine read = parser.Parse(0, line);
        Assert.True(read.Error is null, read.Error);
        return read;
    }

    private static string Error(RequestParser parser, string line, long index = 4) =>
        Assert.IsType<string>(parser.Parse(index, line).Error);

    [Fact]
    public void A_minimal_line_is_a_GET_in_the_default_lane()
    {
        RequestSpec request = Ok(Flags(), """{"url":"https://x.example/a"}""").Request!;

        Assert.Equal((HttpMethod.Get, "https://x.example/a", "default", 0, 1L), (request.Method, request.Url.ToString(), request.Lane, request.Priority, request.Cost));
        Assert.Null(request.Body);
    }

    [Fact]
    public void Every_field_is_read()
    {
        InputLine line = Ok(Flags(), """{"id":"q-1","url":"https://x.example/a","method":"post","headers":{"X-A":"1"},"body":{"q":1},"priority":5,"cost":1200,"metadata":{"row":3}}""");

        Assert.Equal("\"q-1\"", line.IdJson);
        Assert.Equal("""{"row":3}""", line.MetadataJson);
        RequestSpec request = line.Request!;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Contains(new KeyValuePair<string, string>("X-A", "1"), request.Headers);
        Assert.Equal("""{"q":1}""", request.Body);
        Assert.True(request.BodyIsJson);
        Assert.Equal((5, 1200L), (request.Priority, request.Cost));
    }

    [Fact]
    public void A_string_body_is_sent_as_it_is()
    {
        RequestSpec request = Ok(Flags(), """{"url":"https://x.example/a","method":"PUT","body":"plain text"}""").Request!;

        Assert.Equal("plain text", request.Body);
        Assert.False(request.BodyIsJson);
    }

    [Theory]
    [InlineData("""{"url":"ftp://x.example/a"}""", "\"url\" must be an absolute http or https URL")]
    [InlineData("""{"url":"/relative"}""", "\"url\"")]
    [InlineData("""{"url":5}""", "\"url\"")]
    [InlineData("""{}""", "\"url\"")]
    [InlineData("""{"url":"https://x.example","method":"GE T"}""", "\"method\" must be an HTTP method such as GET or POST, got \"GE T\"")]
    [InlineData("""{"url":"https://x.example","method":7}""", "\"method\" must be an HTTP method")]
    [InlineData("""{"url":"https://x.example","priority":"high"}""", "\"priority\" must be a whole number from -1000000 to 1000000, got \"high\"")]
    [InlineData("""{"url":"https://x.example","priority":null}""", "\"priority\" must be a whole number")]
    [InlineData("""{"url":"https://x.example","priority":1.5}""", "\"priority\" must be a whole number")]
    [InlineData("""{"url":"https://x.example","priority":2000000}""", "\"priority\" must be a whole number")]
    [InlineData("""{"url":"https://x.example","cost":"x"}""", "\"cost\" must be a whole number from 0, got \"x\"")]
    [InlineData("""{"url":"https://x.example","cost":-1}""", "\"cost\" must be a whole number from 0")]
    [InlineData("""{"url":"https://x.example","lane":"nope"}""", "unknown lane \"nope\" (lanes: default)")]
    [InlineData("""{"url":"https://x.example","lane":3}""", "unknown lane 3")]
    [InlineData("""{"url":"https://x.example","headers":{"X-A":"a\r\nX-B: b"}}""", "X-A")]
    [InlineData("""{"url":"https://x.example","headers":{"X-A":"a\u0000"}}""", "X-A")]
    [InlineData("""{"url":"https://x.example","headers":{"Bad Name":"a"}}""", "Bad Name")]
    [InlineData("""{"url":"https://x.example","headers":{"X-A":5}}""", "X-A")]
    [InlineData("""{"url":"https://x.example","headers":["X-A: 1"]}""", "\"headers\"")]
    public void A_wrong_field_is_an_error_that_names_its_line_and_the_field(string text, string expected)
    {
        string error = Error(Flags(), text);

        Assert.StartsWith("line 5: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "line 5: not valid JSON")]
    [InlineData("[1,2]", "line 5: expected a JSON object, got Array")]
    [InlineData("\"text\"", "line 5: expected a JSON object, got String")]
    [InlineData("{\"url\":", "line 5: not valid JSON")]
    public void A_line_that_is_no_JSON_object_is_an_error(string text, string expected) =>
        Assert.StartsWith(expected, Error(Flags(), text), StringComparison.Ordinal);

    [Fact]
    public void Every_problem_of_a_line_is_named_at_once()
    {
        string error = Error(Flags(), """{"url":"ftp://x","method":"GE T","priority":"high","cost":-1}""");

        Assert.Contains("\"url\"", error, StringComparison.Ordinal);
        Assert.Contains("\"method\"", error, StringComparison.Ordinal);
        Assert.Contains("\"priority\"", error, StringComparison.Ordinal);
        Assert.Contains("\"cost\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_line_keeps_its_id_for_its_result()
    {
        InputLine line = Config().Parse(0, """{"id":7,"url":"https://elsewhere.example/x","priority":"high"}""");

        Assert.Equal("7", line.IdJson);
        Assert.Null(line.Request);
    }

    [Fact]
    public void With_a_config_the_lane_is_the_one_whose_base_url_covers_the_url_and_its_headers_go_with_it()
    {
        RequestSpec request = Ok(Config(), """{"url":"https://api.example.com/v1/chat"}""").Request!;

        Assert.Equal("api", request.Lane);
        Assert.Contains(new KeyValuePair<string, string>("Authorization", "Bearer k"), request.Headers);
    }

    [Fact]
    public void A_relative_url_resolves_under_the_named_lane()
    {
        RequestSpec request = Ok(Config(), """{"url":"chat","lane":"api"}""").Request!;

        Assert.Equal("https://api.example.com/v1/chat", request.Url.ToString());
    }

    [Fact]
    public void A_url_no_lane_covers_is_named()
    {
        string error = Error(Config(), """{"url":"https://elsewhere.example/x"}""");

        Assert.Contains("no lane's baseUrl is a prefix of 'https://elsewhere.example/x'; give a \"lane\" field", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_url_may_not_leave_its_lanes_host()
    {
        string error = Error(Config(), """{"url":"//evil.example/x","lane":"api"}""");

        Assert.Contains("url", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_s_own_header_wins_over_its_lane_s()
    {
        RequestSpec request = Ok(Config(), """{"url":"https://api.example.com/v1/a","headers":{"Authorization":"Bearer mine"}}""").Request!;

        Assert.Contains(new KeyValuePair<string, string>("Authorization", "Bearer mine"), request.Headers);
        Assert.DoesNotContain(new KeyValuePair<string, string>("Authorization", "Bearer k"), request.Headers);
    }

    [Fact]
    public void Under_a_token_rate_the_cost_is_estimated_from_the_body_and_a_given_cost_stands()
    {
        RequestSpec estimated = Ok(Config(), """{"url":"https://llm.example.com/c","method":"POST","body":{"max_tokens":16,"messages":[{"role":"user","content":"abcdefgh"}]}}""").Request!;
        RequestSpec given = Ok(Config(), """{"url":"https://llm.example.com/c","method":"POST","cost":50,"body":{"max_tokens":16}}""").Request!;

        Assert.Equal((18L, true), (estimated.Cost, estimated.CostIsEstimate));
        Assert.Equal((50L, false), (given.Cost, given.CostIsEstimate));
    }

    [Theory]
    [InlineData("""{"max_tokens":"16"}""")]
    [InlineData("""{"max_tokens":-3}""")]
    [InlineData("""{"max_tokens":16,"n":"2"}""")]
    public void Under_a_token_rate_a_non_number_where_the_estimate_reads_a_number_is_named(string body)
    {
        string error = Error(Config(), $$"""{"url":"https://llm.example.com/c","method":"POST","body":{{body}}}""");

        Assert.Contains("estimated", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cost_above_what_the_token_rate_can_ever_allow_is_named()
    {
        string error = Error(Config(), """{"url":"https://llm.example.com/c","cost":90000}""");

        Assert.Contains("cost", error, StringComparison.Ordinal);
    }

    [Fact]
    public void With_url_each_line_is_the_body_and_its_metadata_is_kept()
    {
        RequestParser parser = Flags(new RunSettings { Input = "-", Url = "https://x.example/v1/chat" });

        InputLine line = Ok(parser, """{"model":"m","metadata":{"row":1}}""");

        Assert.Equal(HttpMethod.Post, line.Request!.Method);
        Assert.Equal("https://x.example/v1/chat", line.Request.Url.ToString());
        Assert.Contains("\"model\":\"m\"", line.Request.Body, StringComparison.Ordinal);
        Assert.Equal("""{"row":1}""", line.MetadataJson);
    }

    [Fact]
    public void An_escaped_lone_surrogate_is_a_line_error_not_a_crash()
    {
        string error = Error(Flags(), """{"url":"https://x.example/\ud800"}""");

        Assert.StartsWith("line 5:", error, StringComparison.Ordinal);
    }
}
