namespace Pacer.Cli.Run;

/// <summary>
/// How the input's records become request lines: JSON lines as they are; a JSON array's elements;
/// text lines or CSV rows put into a <see cref="RequestTemplate"/>.
/// </summary>
/// <param name="Format">The format asked for; <see cref="InputFormat.Auto"/> is settled on the input (see <see cref="InputFormat"/>).</param>
/// <param name="Template">With a template <c>--url</c>: what each text line or CSV row fills.</param>
internal sealed record InputShape(InputFormat Format, RequestTemplate? Template)
{
    public static readonly InputShape JsonLines = new(InputFormat.JsonLines, null);

    /// <summary>Marks a record that cannot be a request, in the lines a shape makes: NUL, then the error.</summary>
    /// <remarks>Only made lines carry it: JSON lines are passed on as read, and never read as a mark.</remarks>
    public const char ErrorMark = '\0';

    /// <summary>Whether the request lines are made by Pacer rather than read as they are.</summary>
    public bool MakesLines => Format is not InputFormat.JsonLines and not InputFormat.Auto || Template is not null;

    /// <summary>A made line that carries <paramref name="error"/> instead of a request.</summary>
    public static string ErrorLine(string error) => ErrorMark + error;
}
