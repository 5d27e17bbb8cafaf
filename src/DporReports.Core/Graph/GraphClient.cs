using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using Microsoft.Identity.Client;

namespace DporReports.Core.Graph;

/// <summary>
/// Microsoft Graph with an app-only token for one customer tenant at a time (Identity.Web acquires and caches it per
/// tenant). Follows @odata.nextLink, but only within Graph's own origin so the token never travels elsewhere.
/// Throttling and transient faults are retried by the HTTP pipeline (Retry-After honoured); 401/403 mean the customer
/// withdrew consent.
/// </summary>
public sealed class GraphClient(HttpClient http, IHttpClientFactory clients, IAuthorizationHeaderProvider tokens, IOptions<GraphOptions> options,
    ILogger<GraphClient> log)
{
    /// <summary>The client that fetches report files from their pre-authenticated download URLs: it never carries our token.</summary>
    public const string DownloadClientName = "graph-report-downloads";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<List<GraphSubscription>> ListSubscriptionsAsync(Guid tenantId, CancellationToken ct) =>
        ListAsync<GraphSubscription>(tenantId, "directory/subscriptions", ct);

    public Task<List<GraphSubscribedSku>> ListSubscribedSkusAsync(Guid tenantId, CancellationToken ct) =>
        ListAsync<GraphSubscribedSku>(tenantId, "subscribedSkus", ct);

    public async Task<GraphOrganization?> GetOrganizationAsync(Guid tenantId, CancellationToken ct) =>
        (await ListAsync<GraphOrganization>(tenantId, "organization?$select=id,displayName", ct)).FirstOrDefault();

    /// <summary>
    /// A usage report: Graph answers 302 with a short-lived, pre-authenticated download URL; the file is fetched from there
    /// WITHOUT our bearer token (it must not leak to the storage host) and streamed to <paramref name="read"/>, never buffered.
    /// </summary>
    public Task<T> ReadReportAsync<T>(Guid tenantId, string function, string parameters, Func<Stream, CancellationToken, Task<T>> read,
        CancellationToken ct) =>
        TracedAsync(tenantId, $"reports/{function}", endpoint => ReadReportCoreAsync(tenantId, function, $"reports/{function}({parameters})", endpoint, read, ct));

    /// <summary>
    /// Where Microsoft documents the Copilot usage reports: <c>https://graph.microsoft.com/beta/copilot/reports/…</c>, beside
    /// (not under) the v1.0 root the other calls are relative to.
    /// </summary>
    public const string CopilotReportsPath = "../beta/copilot/reports/";

    /// <summary>
    /// A Copilot usage report (<see cref="CopilotReportsPath"/>): the same 302 to a pre-authenticated download as the others,
    /// once <c>$format=text/csv</c> asks for the CSV form (without it Graph answers JSON).
    /// </summary>
    public Task<T> ReadCopilotReportAsync<T>(Guid tenantId, string function, string parameters, Func<Stream, CancellationToken, Task<T>> read,
        CancellationToken ct) =>
        TracedAsync(tenantId, $"copilot/reports/{function}",
            endpoint => ReadReportCoreAsync(tenantId, function, $"{CopilotReportsPath}{function}({parameters})?$format=text/csv", endpoint, read, ct));

    private async Task<T> ReadReportCoreAsync<T>(Guid tenantId, string function, string path, string endpoint,
        Func<Stream, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(options.Value.BaseUrl), path));
        request.Headers.Authorization = await AuthorizationAsync(tenantId, ct);
        request.Options.Set(GraphTelemetry.Endpoint, endpoint);
        using var response = await SendAsync(request, ct, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new GraphConsentRevokedException(tenantId, $"{(int)response.StatusCode} {await ErrorCodeAsync(response, ct)} on {function}");
        if (response.StatusCode == HttpStatusCode.OK)
            return await ReadBodyAsync(response, function, read, ct);
        if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is null)
            throw new GraphRequestException($"Graph answered {(int)response.StatusCode} {await ErrorCodeAsync(response, ct)} on {function} for tenant {tenantId}.");

        var location = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(request.RequestUri!, response.Headers.Location);
        using var download = new HttpRequestMessage(HttpMethod.Get, location);
        download.Options.Set(GraphTelemetry.Endpoint, GraphTelemetry.ReportDownload);
        using var file = await SendAsync(download, ct, HttpCompletionOption.ResponseHeadersRead, clients.CreateClient(DownloadClientName));
        if (!file.IsSuccessStatusCode)
            throw new GraphRequestException($"The download of {function} answered {(int)file.StatusCode} (the link may have expired); it is requested again.");
        return await ReadBodyAsync(file, function, read, ct);
    }

    /// <summary>
    /// Streams a report body to <paramref name="read"/>. A transfer cut short at the transport (fewer bytes than the
    /// Content-Length promised, a connection reset) surfaces as an I/O error in the middle of the read: it is Graph's
    /// failure, not the file's, so it becomes a <see cref="GraphRequestException"/> like any other failed call — the pull
    /// records it against this report and asks again — and the reader has written nothing of the partial file.
    /// </summary>
    private static async Task<T> ReadBodyAsync<T>(HttpResponseMessage response, string function, Func<Stream, CancellationToken, Task<T>> read,
        CancellationToken ct)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            return await read(body, ct);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            var promised = response.Content.Headers.ContentLength is { } length ? $" of {length} bytes" : "";
            throw new GraphRequestException($"The download of {function}{promised} was cut off mid-transfer ({e.Message}); nothing of it was stored.", e,
                transferCut: true);
        }
    }

    private Task<List<T>> ListAsync<T>(Guid tenantId, string path, CancellationToken ct) =>
        TracedAsync(tenantId, path.Split('?')[0], endpoint => ListCoreAsync<T>(tenantId, path, endpoint, ct));

    private async Task<List<T>> ListCoreAsync<T>(Guid tenantId, string path, string endpoint, CancellationToken ct)
    {
        var root = new Uri(options.Value.BaseUrl);
        var authorization = await AuthorizationAsync(tenantId, ct);
        var items = new List<T>();
        for (Uri? next = new(root, path); next is not null;)
        {
            if (!string.Equals(next.GetLeftPart(UriPartial.Authority), root.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
                throw new GraphRequestException($"Graph returned a next link outside {root.Host}: {next.Host}");
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = authorization;
            request.Options.Set(GraphTelemetry.Endpoint, endpoint);
            using var response = await SendAsync(request, ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new GraphConsentRevokedException(tenantId, $"{(int)response.StatusCode} {await ErrorCodeAsync(response, ct)} on {path}");
            if (!response.IsSuccessStatusCode)
                throw new GraphRequestException($"Graph answered {(int)response.StatusCode} {await ErrorCodeAsync(response, ct)} on {path} for tenant {tenantId}.");

            var page = await response.Content.ReadFromJsonAsync<GraphPage<T>>(Json, ct)
                ?? throw new GraphRequestException($"Graph returned an empty body on {path}.");
            items.AddRange(page.Value ?? []);
            next = page.NextLink is null ? null : new Uri(page.NextLink);
        }
        log.LogDebug("Graph {Path} for tenant {TenantId}: {Count} items", path, tenantId, items.Count);
        return items;
    }

    /// <summary>
    /// One span per logical call (all its pages, retries and the report download): the tenant is a span attribute, which
    /// the per-attempt metrics must not carry; the HTTP client's own spans nest under it, one per attempt.
    /// </summary>
    private static async Task<T> TracedAsync<T>(Guid tenantId, string endpoint, Func<string, Task<T>> call)
    {
        using var activity = DporTelemetry.Source.StartActivity($"graph {endpoint}");
        activity?.SetTag(DporTelemetry.Tags.TenantId, tenantId);
        activity?.SetTag(DporTelemetry.Tags.GraphEndpoint, endpoint);
        try
        {
            return await call(endpoint);
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, HttpClient? client = null)
    {
        try
        {
            return await (client ?? http).SendAsync(request, completion, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                  || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new GraphRequestException($"Graph did not answer {request.RequestUri?.AbsolutePath}: {e.Message}", e);
        }
    }

    private async Task<AuthenticationHeaderValue> AuthorizationAsync(Guid tenantId, CancellationToken ct)
    {
        try
        {
            var header = await tokens.CreateAuthorizationHeaderForAppAsync(options.Value.Scope,
                new AuthorizationHeaderProviderOptions { AcquireTokenOptions = new AcquireTokenOptions { Tenant = tenantId.ToString() } }, ct);
            return AuthenticationHeaderValue.Parse(header);
        }
        catch (MsalServiceException e) when (e.ErrorCode is "unauthorized_client" or "invalid_client" or "invalid_grant"
                                             || e.Message.Contains("AADSTS700016", StringComparison.Ordinal)
                                             || e.Message.Contains("AADSTS90002", StringComparison.Ordinal))
        {
            // The app is not (or no longer) consented in this tenant: Entra refuses to issue a token at all.
            throw new GraphConsentRevokedException(tenantId, $"no app-only token ({e.ErrorCode})");
        }
    }

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return body.RootElement.GetProperty("error").GetProperty("code").GetString() ?? "";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "";
        }
    }
}
