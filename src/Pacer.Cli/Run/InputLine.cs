namespace Pacer.Cli.Run;

/// <summary>An input line as read: its request, or why it cannot be sent. <see cref="Index"/> counts from 0; the line number from 1.</summary>
internal sealed record InputLine(long Index, string? IdJson, string? MetadataJson, RequestSpec? Request, string? Error)
{
    public long LineNumber => Index + 1;
}
