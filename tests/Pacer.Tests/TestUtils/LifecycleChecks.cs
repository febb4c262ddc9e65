using System.Runtime.CompilerServices;

namespace Pacer.Tests.TestUtils;

/// <summary>Every test of the engine checks the lifecycle's counts after every move of a job (<see cref="JobLifecycle.Holds"/>), in a release build too.</summary>
internal static class LifecycleChecks
{
#pragma warning disable CA2255 // The test assembly's own start: every engine test runs with the check on.
    [ModuleInitializer]
    internal static void CheckEveryMove() => JobLifecycle.AlwaysCheck = true;
#pragma warning restore CA2255
}
