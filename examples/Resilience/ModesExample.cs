namespace Pacer.Examples;

/// <summary>Grading answers: one call per answer, or several answers per call, with the fallback chain when a mode fails as a whole.</summary>
internal static class ModesExample
{
    public static async Task RunAsync()
    {
        await using var engine = new PacerEngine();
        engine.AddLane("llm", new LaneOptions { MaxConcurrency = 5 });
        string[] answers = ["4", "Paris", "H2O", "1945", "Jupiter"];
        bool singleEndpointUp = false;

        ModeResult<int> result = await engine.RunModesAsync(answers, new ModeOptions<string, int>
        {
            Mode = ProcessingMode.Parallel,
            JobOptions = new JobOptions { Lane = "llm", Retry = RetryPolicy.None },
            RunOne = async (answer, context) =>
            {
                await Task.Delay(10, context.CancellationToken);
                return singleEndpointUp ? answer.Length : throw new PermanentException("the single-answer endpoint returned 500");
            },
            Combine = async (group, context) =>
            {
                await Task.Delay(10, context.CancellationToken);
                return [.. group.Select(a => a.Length)];
            },
        });

        foreach (ModeFallback fallback in result.Fallbacks)
        {
            Console.WriteLine($"  fell back from {fallback.From} to {fallback.To}: {fallback.Reason}");
        }

        Console.WriteLine($"modes: graded with {result.Mode} in {result.Metrics.TotalTime.TotalMilliseconds:0} ms, " +
            $"{result.Metrics.JobsRun} jobs, scores {string.Join(", ", result.Items.Select(i => i.Value))}");
    }
}
