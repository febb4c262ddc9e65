using System.Text.Json;
using Microsoft.Playwright;
using Pacer.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pacer.Server.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium through Playwright), against a real
/// <c>pacer serve</c> sending to the simulator: the runs list and a run's page update live, a job
/// is cancelled from its button, and the page collapses to its summary when the run ends.
/// </summary>
[Collection(Alone.Name)]
public sealed class DashboardTests
{
    [Fact]
    public async Task ARunsPage_UpdatesLive_CancelsAQueuedJobFromItsButton_AndCollapsesToItsSummary()
    {
        // 30 requests at 3 a second: about ten seconds of run to watch.
        await using SimulatorHost sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Latency = new LatencyOptions { Base = TimeSpan.FromMilliseconds(150) },
        });
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("sim", sim.BaseAddress, "    rps: 3\n    burst: 1\n    concurrency: 2"));
        await using Browser browser = await Browser.StartAsync();
        IPage page = await browser.OpenAsync(server.Http.BaseAddress!);

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
        await Expect(page.Locator("#connection")).ToHaveTextAsync("● live");

        // The runs list shows a run submitted through the API, without a reload.
        string run = await server.SubmitAsync(Enumerable.Range(0, 30).Select(i => Lines.Echo(sim.BaseAddress, i)), "?name=dashboard-test");
        ILocator row = page.Locator($"tr[data-run='{run}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveTextAsync("dashboard-test");

        // The run's page: the lane's card counts up as jobs end.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(server.Http.BaseAddress!, "/runs/" + run).ToString());
        ILocator card = page.Locator("article.card[data-lane='sim']");
        ILocator done = card.Locator(".lane-done");
        await Expect(done).ToContainTextAsync("/ 30 done");
        string first = await done.InnerTextAsync();
        await Expect(done).Not.ToHaveTextAsync(first);
        await Expect(card.Locator(".active-count")).ToContainTextAsync("/ 2");
        await Expect(card.Locator(".rate")).ToContainTextAsync("limit 180 req/min");
        await Expect(card.Locator(".chart canvas")).ToBeVisibleAsync();

        // Cancel the last job, still queued, from its button. The confirmation stays open while the page updates under it.
        await page.Locator("#items-state").SelectOptionAsync("queued");
        ILocator last = page.Locator("tr[data-index='29']");
        await last.GetByRole(AriaRole.Button, new() { Name = "Cancel job #29" }).ClickAsync();
        ILocator dialog = page.Locator("#confirm-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        string underTheDialog = await done.InnerTextAsync();
        await Expect(done).Not.ToHaveTextAsync(underTheDialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "dashboard-running");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel job" }).ClickAsync();
        await Expect(last).ToHaveAttributeAsync("data-state", "cancelled");
        JsonElement cancelled = (await server.GetJsonAsync($"/api/runs/{run}/jobs?after=28&limit=1")).GetProperty("jobs")[0];
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());

        // At the end, the page collapses to its summary; a click expands it again.
        ILocator summary = page.Locator("section.summary");
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary.Locator(".n-succeeded")).ToHaveTextAsync("29");
        await Expect(summary.Locator(".n-cancelled")).ToHaveTextAsync("1");
        await Expect(summary.Locator(".n-failed")).ToHaveTextAsync("0");
        await Expect(summary.Locator(".took")).ToContainTextAsync("the limits allowed no less than");
        await Expect(summary.Locator(".slowest")).ToContainTextAsync("sim");
        await Expect(page.Locator("#run-details")).ToBeHiddenAsync();
        await Browser.ScreenshotAsync(page, "dashboard-finished");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show lanes and jobs" }).ClickAsync();
        await Expect(card).ToBeVisibleAsync();

        // Back on the list, the run shows as completed.
        await page.GetByRole(AriaRole.Link, new() { Name = "← Runs" }).ClickAsync();
        await Expect(page.Locator($"tr[data-run='{run}'] .badge")).ToHaveAttributeAsync("data-state", "completed");
        Assert.True(browser.Errors.Count == 0, string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task WithAnApiKey_ThePageAsksForItOnce_EditsALane_AndNeverShowsALaneSecret()
    {
        const string Secret = "s3cr3t-dashboard-4417";
        await using SimulatorHost sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var folder = new TempFolder();
        string config = $"""
            lanes:
              sim:
                baseUrl: {sim.BaseAddress}
                concurrency: 2
                rps: 20
                headers:
                  Authorization: "Bearer ${"{"}SVC_TOKEN{"}"}"
            """;
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, config, new Dictionary<string, string> { ["SVC_TOKEN"] = Secret, ["PACER_API_KEY"] = "the-right-key" });
        string run = await server.SubmitAsync(Enumerable.Range(0, 3).Select(i => Lines.Echo(sim.BaseAddress, i)), "?name=keyed");
        await server.WaitForStatusAsync(run, "completed");
        await using Browser browser = await Browser.StartAsync();
        IPage page = await browser.OpenAsync(server.Http.BaseAddress!);

        // A wrong key is refused and asked for again; the right one opens the page.
        await page.GotoAsync("/");
        ILocator dialog = page.Locator("#key-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.Locator("#key-input").FillAsync("a-wrong-key");
        await page.Locator("#key-input").PressAsync("Enter");
        await Expect(page.Locator("#key-error")).ToContainTextAsync("refused");
        await page.Locator("#key-input").FillAsync("the-right-key");
        await page.Locator("#key-input").PressAsync("Enter");
        await Expect(page.Locator($"tr[data-run='{run}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#connection")).ToHaveTextAsync("● live");

        // Kept for the session: a reload does not ask again.
        await page.ReloadAsync();
        await Expect(page.Locator($"tr[data-run='{run}']")).ToBeVisibleAsync();
        await Expect(dialog).ToBeHiddenAsync();

        // A lane's limits, changed from the page, show at once and reach the engine.
        await page.GetByRole(AriaRole.Link, new() { Name = "Lanes" }).ClickAsync();
        ILocator lane = page.Locator("article.lane[data-lane='sim']");
        await Expect(lane.Locator(".limits")).ToContainTextAsync("2 at once");
        await lane.GetByLabel("Concurrency").FillAsync("5");
        await lane.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(lane.Locator(".limits")).ToContainTextAsync("5 at once");
        Assert.Equal(5, (await server.GetJsonAsync("/api/lanes/sim")).GetProperty("limits").GetProperty("maxConcurrency").GetInt32());

        // A bad value is refused with the server's words, naming the field.
        await lane.GetByLabel("Burst").FillAsync("-3");
        await lane.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(lane.Locator(".edit [role=status]")).ToContainTextAsync("'burst' must be a whole number");

        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("section.summary")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show lanes and jobs" }).ClickAsync();
        await Expect(page.Locator("tr[data-index='2']")).ToBeVisibleAsync();
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.True(browser.Errors.Count == 0, string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task OnAPhone_ARunsPageFitsTheWidth_AndEveryControlIsReachedByKeyboard()
    {
        await using SimulatorHost sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Latency = new LatencyOptions { Base = TimeSpan.FromMilliseconds(100) } });
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("sim", sim.BaseAddress, "    rps: 2\n    concurrency: 1"));
        string run = await server.SubmitAsync(Enumerable.Range(0, 20).Select(i => Lines.Echo(sim.BaseAddress, i)), "?name=a-run-with-a-rather-long-name-for-a-phone");
        await using Browser browser = await Browser.StartAsync();
        IPage page = await browser.OpenAsync(server.Http.BaseAddress!, width: 390, height: 844);

        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("article.card[data-lane='sim'] .chart canvas")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-index='19']")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "the page is wider than the phone");
        await Browser.ScreenshotAsync(page, "dashboard-phone");

        // Tab reaches the run's cancel button and a job's, and Enter opens the confirmation.
        string[] reached = await TabThroughAsync(page, 40);
        Assert.Contains("Cancel run", reached);
        Assert.Contains(reached, r => r.StartsWith("Cancel job #", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#confirm-dialog")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#confirm-dialog")).ToBeHiddenAsync();
        Assert.Equal("running", (await server.GetJsonAsync($"/api/runs/{run}")).GetProperty("status").GetString());
        await server.PostJsonAsync($"/api/runs/{run}/cancel");
        Assert.True(browser.Errors.Count == 0, string.Join("\n", browser.Errors));
    }

    /// <summary>Presses Tab <paramref name="presses"/> times; the accessible names of what took the focus.</summary>
    private static async Task<string[]> TabThroughAsync(IPage page, int presses)
    {
        var reached = new List<string>();
        for (int i = 0; i < presses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || e.id || e.tagName).trim() : ''; })()"));
        }

        return [.. reached];
    }
}
