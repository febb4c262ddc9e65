namespace Pacer.Examples;

/// <summary>Projects → suites → pages of cases under one limiter, gathered in order and de-duplicated.</summary>
internal static class FanOutExample
{
    public static async Task RunAsync()
    {
        await using var engine = new PacerEngine();
        engine.AddLane("testrail", new LaneOptions { MaxConcurrency = 20, Rates = { RateLimit.PerSecond(50, burst: 20) } });
        Batch<int[]> batch = engine.CreateBatch<int[]>(new BatchOptions { JobOptions = new JobOptions { Lane = "testrail" } });
        (string Project, int[] SuiteSizes)[] projects = [("alpha", [600, 260]), ("beta", [90, 510, 250])];
        int next = 0;
        foreach ((string project, int[] suites) in projects)
        {
            int first = next;
            next += suites.Sum();
            batch.Add(async context =>
            {
                await Task.Delay(5, context.CancellationToken); // GET /projects/{project}/suites
                int suiteFirst = first;
                foreach (int size in suites)
                {
                    int start = suiteFirst;
                    suiteFirst += size;
                    for (int offset = 0; offset < size; offset += 250)
                    {
                        int pageFirst = start + offset;
                        int count = Math.Min(250, size - offset);
                        context.AddChild<int[]>(async page =>
                        {
                            await Task.Delay(5, page.CancellationToken); // GET /suites/{id}/cases?offset=…&limit=250
                            return [.. Enumerable.Range(pageFirst, count)];
                        });
                    }
                }

                return [];
            });
        }

        BatchResult<int[]> result = await batch.WhenAllAsync();
        int[] cases = [.. result.Items.SelectMany(i => i.Value ?? []).Distinct()];
        Console.WriteLine($"fanout: {result.Items.Count} jobs, {cases.Length} cases in order: {cases.SequenceEqual(Enumerable.Range(0, next))}; " +
            $"alpha's tree: {batch.GetTreeProgress(0).Succeeded}/{batch.GetTreeProgress(0).Total} done");
    }
}
