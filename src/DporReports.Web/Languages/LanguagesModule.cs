using System.Globalization;
using DporReports.Core.Languages;
using DporReports.Web.Access;
using Microsoft.AspNetCore.Localization;

namespace DporReports.Web.Languages;

/// <summary>
/// ASP.NET Core request localization: the language comes from the person's choice (a cookie set by the picker in the
/// layout) or else the browser's Accept-Language, English when it asks for neither language.
/// </summary>
public static class LanguagesModule
{
    public const string PickerPath = "/language";

    public static IServiceCollection AddLanguages(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            // Only the UI culture follows the person: CurrentCulture stays invariant, so form and query values (a "40.5" usage
            // filter) parse the same in both languages, and code that formats without a culture cannot change with the reader.
            // Pages write numbers and dates through Language, which follows the UI culture.
            o.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo(Language.English));
            o.SupportedCultures = [CultureInfo.InvariantCulture];
            o.SupportedUICultures = [.. Language.Supported.Select(CultureInfo.GetCultureInfo)];
            o.FallBackToParentUICultures = true;
            // Only the cookie and the browser: a query-string culture would make every shared link switch the reader's language.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    public static WebApplication UseLanguages(this WebApplication app)
    {
        app.UseRequestLocalization();
        return app;
    }

    /// <summary>The picker's links: remember the language for a year, then back to the page the person was on.</summary>
    public static WebApplication MapLanguagePicker(this WebApplication app)
    {
        app.MapGet($"{PickerPath}/{{culture}}", (HttpContext http, string culture, string? returnUrl) =>
        {
            if (!Language.Supported.Contains(culture, StringComparer.Ordinal)) return Results.NotFound();
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.Redirect(ReturnUrls.LocalOrRoot(returnUrl));
        }).ExcludeFromDescription();
        return app;
    }
}
