using System.Net;

namespace DporReports.Sandbox.Endpoints;

/// <summary>Small self-contained HTML pages: no external resources, inline CSS, every value encoded.</summary>
internal static class Html
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f3f4f6;color:#111827}
        main{max-width:46rem;margin:2rem auto;padding:0 1rem}
        h1{font-size:1.5rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
        ul{list-style:none;padding:0;margin:0}li{margin:.4rem 0}
        button{display:block;width:100%;text-align:left;padding:.7rem 1rem;border:1px solid #9ca3af;border-radius:.4rem;background:#fff;font:inherit;cursor:pointer}
        button:hover,button:focus{border-color:#1d4ed8;outline:2px solid #1d4ed8;outline-offset:1px}
        .name{display:block;font-weight:600}.upn,.desc{display:block;font-size:.9rem;color:#374151}.key{font-family:monospace;font-weight:400;color:#374151;margin-left:.5rem}
        .cancel{width:auto;margin-top:1.5rem}.note{color:#374151}.error{border-left:4px solid #b91c1c;padding-left:1rem}
        """;

    public static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    public static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(
            $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)}</title>
            <style>{Style}</style>
            </head>
            <body>
            <main>
            {body}
            </main>
            </body>
            </html>
            """,
            "text/html; charset=utf-8",
            statusCode: statusCode);

    public static IResult Error(string message) =>
        Page("Sign-in error — DporReports sandbox",
            $"""<h1>Sign-in error</h1><p class="error" role="alert">{E(message)}</p>""",
            StatusCodes.Status400BadRequest);

    /// <summary>One persona as a submit button of the surrounding form.</summary>
    public static string PersonaButton(SandboxPersona persona) =>
        $"""<li><button type="submit" name="persona" value="{E(persona.Key)}"><span class="name">{E(persona.DisplayName)}<span class="key">{E(persona.Key)}</span></span><span class="upn">{E(persona.UserPrincipalName)}</span><span class="desc">{E(persona.Description)}</span></button></li>""";

    /// <summary>Personas grouped under their tenant's display name, customers first.</summary>
    public static string PersonaGroups(IEnumerable<SandboxPersona> personas)
    {
        var kindOrder = new[] { "customer", "partner", "service" };
        var groups = personas
            .GroupBy(p => p.TenantId)
            .Select(g => (Tenant: SandboxDirectory.FindTenant(g.Key), Personas: g))
            .OrderBy(g => Array.IndexOf(kindOrder, g.Tenant?.Kind))
            .Select(g =>
            {
                var headingId = $"tenant-{g.Personas.Key:N}";
                var buttons = string.Concat(g.Personas.Select(PersonaButton));
                return $"""<section aria-labelledby="{headingId}"><h2 id="{headingId}">{E(g.Tenant?.DisplayName ?? g.Personas.Key.ToString())}</h2><ul>{buttons}</ul></section>""";
            });
        return string.Join('\n', groups);
    }
}
