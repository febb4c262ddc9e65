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
}
