using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pacer.Docs.Tests;

/// <summary>
/// Compiles a doc snippet as a reader would paste it: its <c>using</c> directives at the top, its
/// statements as the body of an async method of a <see cref="DocContext"/>, against every assembly
/// this test has (Pacer, Pacer.Http, the simulator, the framework and the packages the docs name).
/// </summary>
internal static partial class SnippetCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p))]);

    private const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Pacer;
        global using Pacer.Http;
        global using Pacer.Simulator;
        global using Microsoft.Extensions.DependencyInjection;
        """;

    /// <summary>The errors of <paramref name="block"/>, each as <c>file:line: CSxxxx message</c>.</summary>
    public static IReadOnlyList<string> Errors(DocBlock block)
    {
        var directives = new List<string>();
        var statements = new List<string>();
        foreach (string line in block.Code.Split('\n'))
        {
            // Blank out a directive rather than drop it, so that line numbers stay the file's.
            bool directive = UsingDirective().IsMatch(line);
            directives.Add(directive ? line : "");
            statements.Add(directive ? "" : line);
        }

        string source = $$"""
            {{string.Join('\n', directives.Where(d => d.Length > 0))}}

            public sealed class Snippet : Pacer.Docs.Tests.DocContext
            {
                public async Task RunAsync()
                {
            #line {{block.Line}} "{{block.File}}"
            {{string.Join('\n', statements)}}
            #line default
                    await Task.CompletedTask;
                }
            }
            """;

        var options = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(Usings, options), CSharpSyntaxTree.ParseText(source, options, path: "snippet.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        using var assembly = new MemoryStream();
        return [.. compilation.Emit(assembly).Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{Where(d)}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")];
    }

    private static string Where(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetMappedLineSpan();
        return $"{span.Path}:{span.StartLinePosition.Line + 1}";
    }

    [GeneratedRegex(@"^\s*using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>]+)?\s*;\s*$")]
    private static partial Regex UsingDirective();
}
