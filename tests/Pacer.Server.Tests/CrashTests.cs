using System.Text.Json;

namespace Pacer.Server.Tests;

/// <summary>Durable: killed with SIGKILL mid-run and started again, the run goes on and every job ends with exactly one result.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task KilledMidRun_AndStartedAgain_EveryJobEndsWithExactlyOneResult()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        string config = Lines.Lane("svc", gate.BaseUri, "    concurrency: 2\n    rps: 20");
        string run;
        await using (ServerProcess first = await ServerProcess.StartAsync(folder.Path, config))
        {
            run = await first.SubmitAsync(Enumerable.Range(0, 60).Select(i => Lines.Get(gate.BaseUri, i)));
            await ServerProcess.WaitUntilAsync(
                async () => (await first.GetJsonAsync($"/api/runs/{run}")).GetProperty("counts").GetProperty("succeeded").GetInt64() >= 15,
                "a quarter of the run done");
            await first.SignalAndWaitAsync("KILL");
        }

        int sentBeforeRestart = gate.Targets.Count;
        Assert.True(sentBeforeRestart < 60, $"the whole run was sent ({sentBeforeRestart}) before the kill");
        await using ServerProcess second = await ServerProcess.StartAsync(folder.Path, config);
        JsonElement done = await second.WaitForStatusAsync(run, "completed");

        Assert.Equal(60, done.GetProperty("counts").GetProperty("succeeded").GetInt64());
        List<JsonElement> results = await second.ResultsAsync(run);
        Assert.Equal(Enumerable.Range(0, 60), results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean()));

        // The service saw every job at least once: a request in flight at the kill is sent again.
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"/j/{i}").Order(), gate.Targets.Distinct().Order());
    }

    [Fact]
    public async Task StoppedWithSigterm_GivesItsJobsBack_AndTheNextStartFinishesThem()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        string config = Lines.Lane("svc", gate.BaseUri, "    concurrency: 2");
        string run;
        await using (ServerProcess first = await ServerProcess.StartAsync(folder.Path, config))
        {
            run = await first.SubmitAsync(Enumerable.Range(0, 5).Select(i => Lines.Get(gate.BaseUri, i)));
            await ServerProcess.WaitUntilAsync(() => Task.FromResult(gate.Targets.Count == 2), "two requests at the service");
            await first.SignalAndWaitAsync("TERM");
            Assert.Equal(0, first.ExitCode);
        }

        gate.Open();
        await using ServerProcess second = await ServerProcess.StartAsync(folder.Path, config);
        JsonElement done = await second.WaitForStatusAsync(run, "completed");
        Assert.Equal(5, done.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.Equal(5, (await second.ResultsAsync(run)).Count);
    }
}
