using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Serverless.App.Http.Auth;
using Serverless.App.WebConsole;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Console.Tests;

/// <summary>
/// The console with Entra ID sign-in (the Function App behind App Service authentication), in Chromium against the
/// real local host. Easy Auth is Azure's front end and cannot run here, so the browser context plays it at its
/// documented edges only: <c>/.auth/login/aad?post_login_redirect_uri=…</c> signs in (a session cookie, a redirect back),
/// <c>/.auth/logout</c> signs out, an API call without a session gets Easy Auth's bare 401, and one with a session is
/// decided by the Functions role check itself (<see cref="EasyAuthPrincipal"/> on the user's app roles): refused with
/// its 403, or passed to the local host with the key of the granted role (whose routes then answer 403 to Scoring
/// where they need Admin, as the functions do). The page itself is the host's, with the
/// sign-in mode the Function App's <c>Console:SignIn=Entra</c> puts in it.
/// </summary>
[Collection(ConsoleHostCollection.Name)]
public sealed class ConsoleAuthTests(ConsoleHost host)
{
    [Fact]
    public void The_function_apps_page_says_entra_and_is_otherwise_the_same_build()
    {
        var key = Text(ConsoleAssets.Page(ConsoleSignIn.Key)!);
        var entra = Text(ConsoleAssets.Page(ConsoleSignIn.Entra)!);
        Assert.Contains(ConsoleAssets.KeySignInMarker, key);
        Assert.Contains(ConsoleAssets.EntraSignInMarker, entra);
        Assert.Equal(key, entra.Replace(ConsoleAssets.EntraSignInMarker, ConsoleAssets.KeySignInMarker, StringComparison.Ordinal));
        Assert.NotEqual(ConsoleAssets.Page(ConsoleSignIn.Key)!.ETag, ConsoleAssets.Page(ConsoleSignIn.Entra)!.ETag);
    }

    [Fact]
    public async Task Without_a_session_it_offers_sign_in_with_microsoft_then_works_as_admin_until_signed_out()
    {
        var easyAuth = await EasyAuthAsync(roles: ["Admin"]);
        var page = easyAuth.Page;

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("API key")).ToHaveCountAsync(0); // Easy Auth refuses keys: no key form
        var signIn = page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" });
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fconsole%2F", await signIn.GetAttributeAsync("href"));
        await ConsoleHost.ScreenshotAsync(page, "console-entra-sign-in");
        await AssertAccessibleAsync(page);

        await signIn.ClickAsync();
        await Expect(page.Locator("#role")).ToHaveTextAsync("Signed in: Admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Models", Exact = true })).ToBeVisibleAsync();
        await page.GotoAsync("/console/#/features");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Feature catalog" })).ToBeVisibleAsync();
        Assert.Equal(0, easyAuth.KeysSentByPage); // the session cookie, never a key

        // The session ends (expiry): the next call's 401 brings the sign-in back instead of an error.
        easyAuth.SignedIn = false;
        await page.GotoAsync("/console/#/");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" }).ClickAsync();
        await Expect(page.Locator("#role")).ToHaveTextAsync("Signed in: Admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.False(easyAuth.SignedIn);
    }

    [Fact]
    public async Task A_signed_in_user_without_an_app_role_sees_no_access_and_why()
    {
        var easyAuth = await EasyAuthAsync(roles: []);
        await easyAuth.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        await Expect(easyAuth.Page.GetByRole(AriaRole.Heading, new() { Name = "No access" })).ToBeVisibleAsync();
        await Expect(easyAuth.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no app role on this API (403)");
        await Expect(easyAuth.Page.GetByText("needs the app role 'Scoring'")).ToBeVisibleAsync();
        await Expect(easyAuth.Page.GetByRole(AriaRole.Link, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await ConsoleHost.ScreenshotAsync(easyAuth.Page, "console-entra-no-role");
        await AssertAccessibleAsync(easyAuth.Page);
    }

    [Fact]
    public async Task A_scoring_user_reads_models_and_admin_pages_say_they_need_the_admin_role()
    {
        var easyAuth = await EasyAuthAsync(roles: ["Scoring"]);
        await easyAuth.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        await Expect(easyAuth.Page.Locator("#role")).ToHaveTextAsync("Signed in: Scoring (read-only)");
        await easyAuth.Page.GotoAsync("/console/#/upload");
        await Expect(easyAuth.Page.Locator("#admin-reason")).ToHaveTextAsync("Actions that change what is served or start work need the Admin app role; your account has Scoring only.");
        await easyAuth.Page.GotoAsync("/console/#/features");
        await Expect(easyAuth.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This needs the Admin app role; your account has Scoring only (403).");
    }

    /// <summary>
    /// Easy Auth answers with a redirect to the given path; played as a page that navigates there, because a
    /// browser context's routes do not see the requests a redirect leads to (the page must come from the route above).
    /// </summary>
    private static Task GoBackAsync(IRoute route, string path) =>
        route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = $"<!doctype html><meta http-equiv=\"refresh\" content=\"0;url={System.Net.WebUtility.HtmlEncode(path)}\"><title>Signing in</title>" });

    /// <summary>axe-core on the page as it is: no serious or critical violation (as the other browser tests require).</summary>
    private static async Task AssertAccessibleAsync(IPage page)
    {
        var violations = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static string Text(ConsoleAsset asset) => System.Text.Encoding.UTF8.GetString(asset.Content);

    /// <summary>A browser context on the console with Easy Auth played in front of the host for a user with <paramref name="roles"/>.</summary>
    private async Task<EasyAuthEdge> EasyAuthAsync(string[] roles)
    {
        var context = await host.Browser.NewContextAsync(new() { BaseURL = host.Host.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var edge = new EasyAuthEdge(await context.NewPageAsync());

        // What the Function App serves with Console:SignIn=Entra.
        await context.RouteAsync("**/console/", async route =>
        {
            var response = await route.FetchAsync();
            await route.FulfillAsync(new() { Response = response, Status = 200, Body = Text(ConsoleAssets.Page(ConsoleSignIn.Entra)!) });
        });
        await context.RouteAsync("**/.auth/login/aad?**", async route =>
        {
            edge.SignedIn = true;
            var back = System.Web.HttpUtility.ParseQueryString(new Uri(route.Request.Url).Query)["post_login_redirect_uri"]!;
            await GoBackAsync(route, back);
        });
        await context.RouteAsync("**/.auth/logout?**", async route =>
        {
            edge.SignedIn = false;
            var back = System.Web.HttpUtility.ParseQueryString(new Uri(route.Request.Url).Query)["post_logout_redirect_uri"]!;
            await GoBackAsync(route, back);
        });
        await context.RouteAsync("**/api/**", async route =>
        {
            var headers = await route.Request.AllHeadersAsync();
            if (headers.ContainsKey("x-api-key") || headers.ContainsKey("x-functions-key")) edge.KeysSentByPage++;
            if (!edge.SignedIn)
            {
                await route.FulfillAsync(new() { Status = 401, Body = "" }); // Return401: no body, no problem details
                return;
            }

            var request = new DefaultHttpContext().Request;
            request.Method = route.Request.Method;
            if (headers.TryGetValue("sec-fetch-site", out var site)) request.Headers["Sec-Fetch-Site"] = site;
            var principal = new ClaimsPrincipal(new ClaimsIdentity(roles.Select(r => new Claim(EasyAuthPrincipal.RolesClaim, r)), "aad", "name", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"));
            // Every route needs Scoring at least; which routes need Admin the host behind decides, given the granted role's key.
            if (EasyAuthPrincipal.Refusal(request, principal, ApiRole.Scoring, new ApiKeyOptions()) is ProblemHttpResult refusal)
            {
                await route.FulfillAsync(new() { Status = refusal.StatusCode, ContentType = "application/problem+json", Body = JsonSerializer.Serialize(refusal.ProblemDetails) });
                return;
            }

            var granted = EasyAuthPrincipal.Granted(principal, new ApiKeyOptions()) == ApiRole.Admin ? ConsoleHost.AdminKey : host.Host.ScoringKey;
            await route.ContinueAsync(new() { Headers = new Dictionary<string, string>(headers.Where(h => !h.Key.StartsWith(':'))) { ["x-api-key"] = granted } });
        });

        await edge.Page.GotoAsync("/console/");
        return edge;
    }

    private sealed class EasyAuthEdge(IPage page)
    {
        public IPage Page { get; } = page;

        public bool SignedIn { get; set; }

        public int KeysSentByPage { get; set; }
    }
}
