using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Pacer.Cli.Tests;

/// <summary>
/// What the README promises a newcomer: the packages pack with their XML docs and metadata, and
/// <c>pacer</c> installs from a checkout as a .NET tool and runs.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Pacer_packs_installs_as_a_tool_and_answers_its_version()
    {
        string root = RepositoryRoot();
        string packages = Path.Combine(_dir.Path, "packages");
        string tools = Path.Combine(_dir.Path, "tools");

        // The configuration the tests were built with: test.sh builds Release, an IDE Debug.
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        foreach (string project in new[] { "src/Pacer", "src/Pacer.Http", "src/Pacer.Cli" })
        {
            await RunAsync("dotnet", root, "pack", project, "-c", configuration, "--no-build", "--nologo", "-o", packages);
        }

        AssertPackage(Path.Combine(packages, "Pacer.0.1.0.nupkg"), "lib/net10.0/Pacer.xml");
        AssertPackage(Path.Combine(packages, "Pacer.Http.0.1.0.nupkg"), "lib/net10.0/Pacer.Http.xml");
        AssertPackage(Path.Combine(packages, "Pacer.Cli.0.1.0.nupkg"), "tools/net10.0/any/Pacer.Cli.dll");

        await RunAsync("dotnet", root, "tool", "install", "Pacer.Cli", "--tool-path", tools, "--add-source", packages, "--version", "0.1.0", "--ignore-failed-sources");
        string version = await RunAsync(Path.Combine(tools, "pacer"), root, "--version");
        Assert.StartsWith("0.1.0", version.Trim(), StringComparison.Ordinal);
    }

    private static void AssertPackage(string path, string payload)
    {
        using ZipArchive package = ZipFile.OpenRead(path);
        Assert.Contains(package.Entries, e => e.FullName == payload);
        Assert.Contains(package.Entries, e => e.FullName == "README.md");

        ZipArchiveEntry nuspec = Assert.Single(package.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = nuspec.Open();
        XElement metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{path} has no description");
        Assert.NotNull(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url"));
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

    private static async Task<string> RunAsync(string program, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string text = await output;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{text}\n{await error}");
        return text;
    }
}
