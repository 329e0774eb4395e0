using Microsoft.Playwright;
using Serverless.Local.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Console.Tests;

/// <summary>
/// The real local host on an Azurite of its own, and one headless Chromium (the system's, by <c>ExecutablePath</c>)
/// shared by the collection; each test opens its own browser context.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public const string AdminKey = "console-test-key";

    private readonly PrivateAzurite _azurite = new(inMemory: true);
    private LoopbackHost? _host;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public LoopbackHost Host => _host!;

    public HttpClient Http { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public Uri ConsoleUrl => new(Host.Address, "/console/");

    /// <summary>Screenshots land here (test artifacts; docs/images holds copies of a few).</summary>
    public static string ArtifactsDirectory { get; } = Directory.CreateDirectory(Path.Combine(Azurite.FindRoot(), "TestResults", "console")).FullName;

    /// <summary>CHROMIUM_PATH, else Debian's /usr/bin/chromium (installed by .ci/run).</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        await _azurite.StartAsync();
        _host = await LoopbackHost.StartAsync(_azurite.ConnectionString, AdminKey, "console", o => o.WatchInterval = TimeSpan.FromMilliseconds(200));
        Http = _host.CreateClient();
        Anonymous = _host.CreateClient(anonymous: true);
        // Pages read several routes per view on a busy CI machine: web-first assertions wait up to 30 s.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task<IPage> OpenAsync(string key)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Host.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(page.Locator("#role")).ToBeVisibleAsync();
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Http?.Dispose();
        Anonymous?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        await _azurite.DisposeAsync();
        if (Directory.Exists(ConsoleSample.TempRoot)) Directory.Delete(ConsoleSample.TempRoot, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleHostCollection : ICollectionFixture<ConsoleHost>
{
    public const string Name = "console host";
}
