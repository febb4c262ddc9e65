namespace Pacer.Cli;

/// <summary>The streams a command reads and writes: the console's, or a test's.</summary>
internal sealed record CliIo(TextReader In, TextWriter Out, TextWriter Error)
{
    public static CliIo FromConsole() => new(StandardInput.Open(), Console.Out, Console.Error);
}
