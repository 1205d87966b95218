using Microsoft.Playwright;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// Debian's Chromium, driven by Playwright: the one named by <c>RELEASEGATES_CHROMIUM</c>, or <c>/usr/bin/chromium</c>
/// (<c>scripts/test</c> installs the package). Playwright's own browser download is never used. Each page records its
/// console errors, uncaught exceptions and every request it makes, so that a test can assert there were none. Without a
/// browser the tests are skipped locally; with <c>CI=true</c> that is a failure.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string EnvironmentVariable = "RELEASEGATES_CHROMIUM";
    private IPlaywright? _playwright;

    /// <summary>The browser, once started.</summary>
    public IBrowser? Chromium { get; private set; }

    /// <summary>Why there is no browser, or null.</summary>
    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given ? given : "/usr/bin/chromium";
        try
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} does not exist (install Debian's chromium package, or set {EnvironmentVariable})");
            }

            _playwright = await Playwright.CreateAsync();
            Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                // Root in a container has no user namespace for Chromium's sandbox; the pages are our own files.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                Timeout = 60_000,
            });
        }
        catch (Exception ex) when (!PostgresServer.IsCi)
        {
            Unavailable = $"No Chromium for the browser tests: {ex.Message}";
        }
    }

    /// <summary>Skips the calling test when there is no browser (never in CI, where the fixture has already failed).</summary>
    public void Require() => Assert.SkipWhen(Unavailable is not null, Unavailable ?? string.Empty);

    /// <summary>Opens <paramref name="file"/> in a fresh context and waits for it to load; every console error, page error and request is recorded.</summary>
    public async Task<OpenedPage> OpenAsync(string file, BrowserNewContextOptions? options = null, Func<IPage, Task>? before = null)
    {
        Require();
        var context = await Chromium!.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        var opened = new OpenedPage(context, page, new Uri(Path.GetFullPath(file)).AbsoluteUri);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (opened.Errors)
                {
                    opened.Errors.Add($"console {message.Type}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (opened.Errors)
            {
                opened.Errors.Add("page error: " + error);
            }
        };
        page.Request += (_, request) =>
        {
            lock (opened.Requests)
            {
                opened.Requests.Add(request.Url);
            }
        };
        if (before is not null)
        {
            await before(page);
        }

        await page.GotoAsync(opened.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        return opened;
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page opened by <see cref="Browser.OpenAsync"/>, with what it logged and requested.</summary>
public sealed class OpenedPage(IBrowserContext context, IPage page, string url) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public string Url { get; } = url;

    /// <summary>Console errors and warnings, and uncaught page errors.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Every request the page made, the page's own file first.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>The requests other than the page's own file.</summary>
    public IReadOnlyList<string> OtherRequests
    {
        get
        {
            lock (Requests)
            {
                return [.. Requests.Where(r => r != Url)];
            }
        }
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
