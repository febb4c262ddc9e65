namespace Pacer.Simulator;

/// <summary>The lowercase names of routes used on the command line and in JSON: chat, messages, listing, echo.</summary>
internal static class SimulatorRouteNames
{
    public static string Name(SimulatorRoute route) => route switch
    {
        SimulatorRoute.Chat => "chat",
        SimulatorRoute.Messages => "messages",
        SimulatorRoute.Listing => "listing",
        SimulatorRoute.Echo => "echo",
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, "Unknown route."),
    };

    public static bool TryParse(string? text, out SimulatorRoute route) =>
        Enum.TryParse(text, ignoreCase: true, out route) && Enum.IsDefined(route) && !char.IsAsciiDigit(text![0]);

    public static string AllNames => string.Join(", ", Enum.GetValues<SimulatorRoute>().Select(Name));
}
