// Runnable examples of adaptive lanes and hints, the circuit breaker, processing modes and fan-out.
// dotnet run --project examples/Resilience -- adaptive|breaker|modes|fanout
using Pacer.Examples;

string example = args.Length > 0 ? args[0] : "all";
switch (example)
{
    case "adaptive":
        await AdaptiveExample.RunAsync();
        break;
    case "breaker":
        await BreakerExample.RunAsync();
        break;
    case "modes":
        await ModesExample.RunAsync();
        break;
    case "fanout":
        await FanOutExample.RunAsync();
        break;
    case "all":
        await AdaptiveExample.RunAsync();
        await BreakerExample.RunAsync();
        await ModesExample.RunAsync();
        await FanOutExample.RunAsync();
        break;
    default:
        Console.Error.WriteLine($"Unknown example '{example}'; use adaptive, breaker, modes, fanout or all.");
        return 2;
}

return 0;
