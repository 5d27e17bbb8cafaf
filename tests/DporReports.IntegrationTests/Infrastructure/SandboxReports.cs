using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// Fetches a usage report from the sandbox the way a Graph client does (app-only token, 302, download without the token)
/// and parses it with a small CSV reader of its own, so tests can check the product's figures against the file.
/// </summary>
public static class SandboxReports
{
    // root: where the report function lives, v1.0's reports or beta's Copilot reports (graph/beta/copilot/reports/).
    public static async Task<List<Dictionary<string, string>>> DownloadAsync(SandboxFixture sandbox, Guid tenantId, string call,
        string root = "graph/v1.0/reports/")
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = sandbox.Server.Options.ClientId,
            ["client_secret"] = sandbox.Server.Options.ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        using var token = await sandbox.Api.PostAsync($"{tenantId}/oauth2/v2.0/token", form);
        var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        var handler = (SocketsHttpHandler)sandbox.Trust.CreateHandler();
        handler.AllowAutoRedirect = false;
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.Server.HttpsBaseUrl, root + call));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var redirect = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var csv = await client.GetStringAsync(redirect.Headers.Location);
        return Parse(csv.TrimStart('\uFEFF'));
    }

    /// <summary>Header + rows as dictionaries (the header row is also returned first, mapped to itself).</summary>
    public static List<Dictionary<string, string>> Parse(string csv)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n') { fields.Add(field.ToString().TrimEnd('\r')); field.Clear(); records.Add(fields); fields = []; }
            else field.Append(c);
        }
        var header = records[0];
        return [.. records.Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second))];
    }
}
