using Microsoft.Playwright;

namespace Pacer.Server.Tests.Dashboard;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by test.sh), headless, driven by
/// Playwright's driver from the Microsoft.Playwright package; no browser is downloaded. Screenshots
/// go to <c>screenshots/</c> in the test output.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long an expectation waits for the page: generous, for a loaded machine.</summary>
    public const float Patience = 60_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string Screenshots { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<Browser> StartAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: ./test.sh installs Debian's chromium package.");
        Assertions.SetDefaultExpectTimeout(Patience);
        IPlaywright playwright = await Playwright.CreateAsync();
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // Root in a container has no user namespace for Chromium's sandbox.
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
                Timeout = Patience,
            });
            return new Browser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh page (its own session storage) of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public async Task<IPage> OpenAsync(Uri server, int width = 1280, int height = 800)
    {
        IBrowserContext context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "Europe/Berlin",
        });
        context.SetDefaultTimeout(Patience);
        IPage page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // An answer of 4xx is the test's business (a wrong key, a bad value), and is checked where it is expected.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal))
            {
                lock (Errors)
                {
                    Errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (Errors)
            {
                Errors.Add(error);
            }
        };
        return page;
    }

    /// <summary>What the pages wrote to their consoles as errors, and what they threw.</summary>
    public List<string> Errors { get; } = [];

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
