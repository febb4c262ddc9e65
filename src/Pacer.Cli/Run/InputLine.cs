namespace Pacer.Cli.Run;

/// <summary>An input line as read: its request, or why it cannot be sent. <see cref="Index"/> counts from 0; the line number from 1.</summary>
internal sealed record InputLine(long Index, string? IdJson, string? MetadataJson, RequestSpec? Request, string? Error)
{
    public long LineNumber => Index + 1;

    /// <summary>With <c>--echo-request</c>: the request the line asked for, as JSON with its secrets masked (<see cref="RequestEcho"/>).</summary>
    public string? RequestJson { get; init; }
}
