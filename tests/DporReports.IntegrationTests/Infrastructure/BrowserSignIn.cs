using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// Drives the real OpenID Connect sign-in like a browser: the app's challenge redirect, the sandbox's persona picker,
/// its form_post back to /signin-oidc, and MSAL's code redemption behind it. Returns the app client holding the
/// session cookie.
/// </summary>
public static partial class BrowserSignIn
{
    public static async Task<HttpClient> SignInAsync(this DporWebFactory factory, string persona, string returnUrl = "/",
        string? expectedLanding = null)
    {
        var app = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
        await factory.SignInAsync(app, persona, returnUrl, expectedLanding);
        return app;
    }

    /// <summary>The same sign-in with a client of the test's making (e.g. one whose cookie jar another host's client shares).</summary>
    public static async Task SignInAsync(this DporWebFactory factory, HttpClient app, string persona, string returnUrl = "/",
        string? expectedLanding = null)
    {
        using var challenge = await app.GetAsync($"/account/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.Equal(factory.Sandbox.Server.HttpBaseUrl.Authority, authorize.Authority);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var picker = await browser.GetStringAsync(authorize);
        var pickerFields = HiddenFields(picker);
        pickerFields["persona"] = persona;
        using var chosen = await browser.PostAsync(new Uri(authorize.GetLeftPart(UriPartial.Path)), new FormUrlEncodedContent(pickerFields));
        var formPost = await chosen.Content.ReadAsStringAsync();
        Assert.True(chosen.IsSuccessStatusCode, $"persona picker answered {(int)chosen.StatusCode}: {formPost}");

        var action = new Uri(WebUtility.HtmlDecode(FormAction().Match(formPost).Groups["action"].Value));
        using var callback = await app.PostAsync(action.PathAndQuery, new FormUrlEncodedContent(HiddenFields(formPost)));
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect,
            $"/signin-oidc answered {(int)callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}");
        Assert.Equal(expectedLanding ?? returnUrl, callback.Headers.Location?.OriginalString);
    }

    /// <summary>The page's antiforgery token, as a browser would post it back.</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient browser, string page) =>
        HiddenFields(await browser.GetStringAsync(page))["__RequestVerificationToken"];

    public static Dictionary<string, string> HiddenFields(string html) =>
        Input().Matches(html)
            .Select(m => Attributes(m.Value))
            .Where(a => a.GetValueOrDefault("type") == "hidden" && a.ContainsKey("name"))
            // The layout's sign-out form repeats the page's antiforgery token; the first of each name wins.
            .GroupBy(a => a["name"])
            .ToDictionary(g => g.Key, g => g.First().GetValueOrDefault("value") ?? "");

    private static Dictionary<string, string> Attributes(string tag) =>
        Attribute().Matches(tag).ToDictionary(m => m.Groups["name"].Value.ToLowerInvariant(), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Input();

    [GeneratedRegex("(?<name>[a-zA-Z_-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("<form\\b[^>]*action=\"(?<action>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();
}
