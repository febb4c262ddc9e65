namespace Pacer.Docs.Tests;

/// <summary>Every C# block of README.md and docs/*.md compiles, so that no snippet can rot.</summary>
public sealed class DocSnippetTests
{
    public static TheoryData<string> Blocks()
    {
        var data = new TheoryData<string>();
        foreach (DocBlock block in All())
        {
            data.Add(block.ToString());
        }

        return data;
    }

    [Fact]
    public void The_docs_have_csharp_blocks_to_compile() =>
        Assert.True(All().Count() >= 15, $"found only {All().Count()} C# blocks: is the repository root right?");

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Compiles(string where)
    {
        DocBlock block = All().Single(b => b.ToString() == where);

        IReadOnlyList<string> errors = SnippetCompiler.Errors(block);

        Assert.True(errors.Count == 0, $"{where} does not compile:\n{string.Join('\n', errors)}\n\n{block.Code}");
    }

    private static IEnumerable<DocBlock> All()
    {
        string root = RepositoryRoot();
        IEnumerable<string> files = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal).Prepend(Path.Combine(root, "README.md"));
        return files.SelectMany(f => DocBlock.Read(Path.GetRelativePath(root, f), File.ReadAllText(f)));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pacer.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Pacer.slnx above {AppContext.BaseDirectory}.");
    }
}
