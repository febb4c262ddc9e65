namespace Pacer.Docs.Tests;

/// <summary>One fenced <c>csharp</c> block of a Markdown file: where it starts and what it says.</summary>
/// <param name="File">The file, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the block's first line of code.</param>
/// <param name="Code">The code, without its fences.</param>
public sealed record DocBlock(string File, int Line, string Code)
{
    public override string ToString() => $"{File}:{Line}";

    /// <summary>Every <c>csharp</c> block of <paramref name="text"/>, in order.</summary>
    public static IEnumerable<DocBlock> Read(string file, string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string fence = lines[i].TrimEnd('\r').Trim();
            if (fence is not ("```csharp" or "```cs" or "```c#"))
            {
                continue;
            }

            int start = i + 1;
            int end = start;
            while (end < lines.Length && lines[end].TrimEnd('\r').Trim() != "```")
            {
                end++;
            }

            yield return new DocBlock(file, start + 1, string.Join('\n', lines[start..end]));
            i = end;
        }
    }
}
