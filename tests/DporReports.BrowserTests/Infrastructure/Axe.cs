using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.Playwright;

namespace DporReports.BrowserTests.Infrastructure;

/// <summary>One rule axe-core found broken on a page: its id, impact (minor … critical), what it checks, and where.</summary>
public sealed record AxeViolation(string Id, string Impact, string Help, string[] Targets)
{
    public bool IsSeriousOrCritical => Impact is "serious" or "critical";

    public override string ToString() => $"{Impact} {Id} ({Help}): {string.Join(" | ", Targets)}";
}

/// <summary>What axe found on one page: the rules that passed, the violations, and how long the run took.</summary>
public sealed record AxeResult(int RulesPassed, IReadOnlyList<AxeViolation> Violations, TimeSpan Took);

/// <summary>
/// axe-core (Deque, MPL-2.0; the npm package's <c>axe.min.js</c>, vendored beside this file by vendor-axe-core.sh and
/// embedded in the test assembly) run in the page under test. No CDN, no Node at test time.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not embedded in the test assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Every violation axe finds on the page as it is now (all of axe's rules, WCAG 2.x A/AA and best practices).</summary>
    public static async Task<AxeResult> RunAsync(IPage page)
    {
        var clock = Stopwatch.StartNew();
        // The app's Content-Security-Policy allows no inline script, so a <script> tag with axe's text would be refused:
        // Playwright evaluates it through the DevTools protocol instead, which the page's CSP does not govern.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync(Source.Value + "\n;void 0;");
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const results = await window.axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify({
                passed: results.passes.length,
                violations: results.violations.map(v => ({
                  id: v.id, impact: v.impact || 'unknown', help: v.help,
                  targets: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' ')),
                })),
              });
            }
            """);
        var found = JsonSerializer.Deserialize<Found>(json, JsonSerializerOptions.Web)!;
        return new AxeResult(found.Passed, found.Violations, clock.Elapsed);
    }

    private sealed record Found(int Passed, AxeViolation[] Violations);
}
