using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pacer.Server.Tests.Dashboard;

/// <summary><c>pacer demo --web</c>: the simulator, the server and a demo run, with the run's page printed.</summary>
[Collection(Alone.Name)]
public sealed partial class WebDemoTests
{
    [Fact]
    public async Task TheWebDemo_PrintsItsRunsPage_RunsItToTheEnd_AndLeavesNoDatabaseBehind()
    {
        using var folder = new TempFolder();
        await using ServerProcess demo = await ServerProcess.StartDemoAsync(folder.Path, "--requests", "60");
        await ServerProcess.WaitUntilAsync(() => Task.FromResult(DashboardLine().IsMatch(demo.Error)), "the dashboard's address");
        var page = new Uri(DashboardLine().Match(demo.Error).Groups[1].Value);
        Assert.Equal(demo.Http.BaseAddress!.Authority, page.Authority);

        string run = page.AbsolutePath["/runs/".Length..];
        using (HttpResponseMessage html = await demo.Http.GetAsync(page))
        {
            Assert.Equal("text/html; charset=utf-8", html.Content.Headers.ContentType?.ToString());
        }

        JsonElement ended = await demo.WaitForStatusAsync(run, "completed");
        Assert.Equal(60, ended.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.Equal(["anthropic", "openai", "search"], ended.GetProperty("summary").GetProperty("lanes").EnumerateArray().Select(l => l.GetProperty("lane").GetString()));

        string database = DatabaseLine().Match(demo.Error).Groups[1].Value;
        Assert.True(File.Exists(database), demo.Error);
        await demo.SignalAndWaitAsync("TERM");
        Assert.Equal(0, demo.ExitCode);
        Assert.False(File.Exists(database), $"{database} is left behind");
    }

    [GeneratedRegex(@"Dashboard: (http://\S+/runs/\S+)")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"runs in (\S+\.db)\.")]
    private static partial Regex DatabaseLine();
}
