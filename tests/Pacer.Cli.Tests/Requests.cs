using Pacer.Simulator;

namespace Pacer.Cli.Tests;

/// <summary>Input lines for the simulator's routes.</summary>
internal static class Requests
{
    public static string Echo(SimulatorHost host, int id) =>
        $$$"""{"id":{{{id}}},"url":"{{{new Uri(host.BaseAddress, "echo")}}}","method":"POST","body":{"n":{{{id}}}}}""";

    public static string Missing(SimulatorHost host, int id) =>
        $$"""{"id":{{id}},"url":"{{new Uri(host.BaseAddress, "api/projects/999/suites")}}"}""";

    public static string Lines(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";
}
