namespace Pacer.Http.Tests.Headers;

public class StructuredFieldParserTests
{
    [Fact]
    public void TryParseList_ReadsNamedItemsWithIntegerParameters()
    {
        Assert.True(StructuredFieldParser.TryParseList("\"burst\";q=100;w=60,\"daily\";q=1000;w=86400", out var items));

        Assert.Equal(2, items.Count);
        Assert.Equal(("burst", 100L, 60L), (items[0].Name, items[0].Integer("q"), items[0].Integer("w")));
        Assert.Equal(("daily", 1000L, 86400L), (items[1].Name, items[1].Integer("q"), items[1].Integer("w")));
    }

    [Fact]
    public void TryParseList_ReadsTokensStringsByteSequencesAndBooleans()
    {
        Assert.True(StructuredFieldParser.TryParseList("default;r=5;pk=:dHJpYWwxMjEzMjM=:;qu=\"a\\\"b\";x, ?1, 1.5", out var items));

        Assert.Equal("default", items[0].Name);
        Assert.Equal(new StructuredToken("default"), items[0].Value);
        Assert.Equal("a\"b", items[0].Text("qu"));
        Assert.Null(items[0].Integer("pk"));
        Assert.Equal(true, items[1].Value);
        Assert.Equal(1.5m, items[2].Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"default\";r=50,")]
    [InlineData("\"default\";r=50,,\"b\";r=1")]
    [InlineData("\"unterminated;r=1")]
    [InlineData("\"default\";R=1")]
    [InlineData("\"default\" ;r=1")]
    [InlineData("(1 2)")]
    [InlineData("limit=100")]
    [InlineData("1.2345")]
    [InlineData("1234567890123456")]
    [InlineData(":not base64!:")]
    [InlineData("?2")]
    [InlineData("\"caf\u00e9\"")]
    public void TryParseList_RejectsMalformedFieldsWhole(string text)
    {
        Assert.False(StructuredFieldParser.TryParseList(text, out _));
    }

    [Fact]
    public void TryParseDictionary_ReadsKeyValueMembers()
    {
        Assert.True(StructuredFieldParser.TryParseDictionary("limit=100, remaining=50, reset=30", out var members));

        Assert.Equal(100L, members["limit"].Value);
        Assert.Equal(50L, members["remaining"].Value);
        Assert.Equal(30L, members["reset"].Value);
    }

    [Fact]
    public void TryParseDictionary_RejectsAList()
    {
        Assert.False(StructuredFieldParser.TryParseDictionary("\"default\";r=50;t=30", out _));
    }
}
