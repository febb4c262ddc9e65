using System.Text;

namespace Pacer.Http.Tests.Bodies;

public sealed class BodyCaptureTests
{
    private static string? Captured(BodyCapture capture) =>
        capture.Body is { } body ? Encoding.UTF8.GetString(body.Span) : null;

    [Fact]
    public void AWholeBodyWithinTheLimit_IsKept_OnceComplete()
    {
        var capture = new BodyCapture(16, keepTail: false);
        capture.Append("{\"usage\":"u8);
        Assert.Null(capture.Body);
        capture.Append("1}"u8);
        capture.Complete();

        Assert.Equal("{\"usage\":1}", Captured(capture));
    }

    [Fact]
    public void ABodyPastTheLimit_IsLetGo()
    {
        var capture = new BodyCapture(8, keepTail: false);
        capture.Append("12345"u8);
        capture.Append("67890"u8);
        capture.Complete();

        Assert.Null(capture.Body);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void AnEventStream_KeepsItsLastWholeEventsWithinTheLimit_WhateverTheReadSize(int readSize)
    {
        byte[] stream = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i => $"data: {i:00}\n\n")));
        var capture = new BodyCapture(40, keepTail: true);
        for (int offset = 0; offset < stream.Length; offset += readSize)
        {
            capture.Append(stream.AsSpan(offset, Math.Min(readSize, stream.Length - offset)));
        }

        capture.Complete();

        // 40 bytes hold the last four whole events of ten bytes each, less the first one's start.
        string kept = Captured(capture)!;
        Assert.EndsWith("data: 49\n\n", kept, StringComparison.Ordinal);
        Assert.StartsWith("data: ", kept, StringComparison.Ordinal);
        Assert.InRange(kept.Length, 30, 40);
    }
}
