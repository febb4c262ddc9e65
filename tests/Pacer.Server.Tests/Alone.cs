namespace Pacer.Server.Tests;

/// <summary>
/// Tests that run with nothing else of this project beside them: the load test, which judges from
/// an in-process simulator's own counts (a stall of its threads under a busy machine clumps the
/// arrivals it stamps), and the browser tests, which are the heaviest on the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "Alone";
}
