using Pacer;

// One engine, one lane per provider: 8 calls at once, 60 a minute with bursts of 10,
// and 90,000 tokens a minute.
await using var engine = new PacerEngine();
engine.AddLane("openai", new LaneOptions
{
    MaxConcurrency = 8,
    Rates = { RateLimit.PerMinute(60, burst: 10) },
    CostRates = { RateLimit.PerMinute(90_000, burst: 90_000) },
});

string[] prompts = ["alpha", "beta", "gamma"];

// Items in, results out in order, within the lane's limits and with retries.
string[] answers = await engine.ForEachAsync(
    prompts,
    async (prompt, cancellationToken) =>
    {
        await Task.Delay(10, cancellationToken); // call the provider here
        return prompt.ToUpperInvariant();
    },
    new BatchOptions { JobOptions = new JobOptions { Lane = "openai", Cost = 500 } });

Console.WriteLine(string.Join(", ", answers));
