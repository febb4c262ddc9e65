namespace Pacer.Bench.Targets;

/// <summary>Makes a target by its command-line name.</summary>
internal static class TargetFactory
{
    public static IReadOnlyList<string> Names { get; } = ["pacer", "pacer-submit", "pacer-batch", "semaphore", "parallel", "ratelimiting", "polly"];

    /// <exception cref="ArgumentException">The name is unknown.</exception>
    /// <exception cref="NotSupportedException">The library cannot enforce these limits.</exception>
    public static IBenchTarget Create(string lib, Limits limits) => lib switch
    {
        "pacer" or "pacer-submit" or "pacer-batch" => new PacerTarget(limits, lib),
        "semaphore" => new SemaphoreTarget(limits),
        "parallel" => new ParallelTarget(limits),
        "ratelimiting" => new RateLimitingTarget(limits),
        "polly" => new PollyTarget(limits),
        _ => throw new ArgumentException($"Unknown library '{lib}'; use one of: {string.Join(", ", Names)}.", nameof(lib)),
    };
}
