using System.Text.Json;

namespace Pacer.Cli.Tests;

/// <summary>Runs <c>pacer</c> in-process with captured streams.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<CliRun> InvokeAsync(string[] args, string stdin = "", CancellationToken cancellationToken = default)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await PacerCli.InvokeAsync(args, new CliIo(input, output, error), handleSignals: false, cancellationToken).WaitAsync(Deadline, CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static List<JsonElement> ReadResults(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
