using System.Globalization;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using DporReports.Sandbox.Graph.Reports;
using DporReports.Sandbox.Hosting;
using Microsoft.AspNetCore.Connections.Features;

namespace DporReports.Sandbox.Endpoints;

/// <summary>A 302 Found with a Location, as Graph answers a usage-report call (and visible to the request log filter).</summary>
internal sealed class FoundResult(string location) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status302Found;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status302Found;
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}

/// <summary>
/// Graph's usage reports: <c>GET /graph/v1.0/reports/{function}(period='D7')</c> (or <c>(date=2026-11-20)</c> for the
/// active-user detail) answers <c>302</c> to a short-lived, signed download URL under <c>/_sandbox/reportfiles/</c>
/// that needs no Authorization header and streams the CSV.
/// </summary>
internal static partial class GraphReportEndpoints
{
    public const string DownloadPath = "/_sandbox/reportfiles";
    private const string ReportsPath = "reports";
    private const string ExtraColumn = "Extra Column";
    private const int DetailDateDays = 30;

    public static void MapGraphReportDownloads(this IEndpointRouteBuilder app) =>
        app.MapGet(DownloadPath + "/{token}", DownloadAsync);

    /// <summary>
    /// Authorizes (Reports.Read.All), applies Graph faults, checks the argument and the budget, redirects. <c>copilot</c>: the
    /// call came under beta's <c>/copilot/reports/</c>, where only the Copilot reports are (and nowhere else).
    /// </summary>
    public static Task<IResult> CallAsync(string call, HttpContext context, SandboxState state, bool copilot = false)
    {
        var match = CallPattern().Match(call);
        var report = match.Success ? UsageReportCatalog.Find(match.Groups["function"].Value) : UsageReportCatalog.Find(call);
        if (report is not null && report.UnderCopilot != copilot)
        {
            report = null;
        }
        if (report is not null)
        {
            context.Items[GraphEndpoints.FunctionItem] = report.Function;
        }
        var faultPath = report is null ? ReportsPath + "/?" : $"{ReportsPath}/{report.Function}";
        return GraphEndpoints.ServeAsync(context, state, faultPath, tenantId => Answer(context, state, tenantId, call, match, report), GraphEndpoints.ReportsRole);
    }

    private static IResult Answer(HttpContext context, SandboxState state, Guid tenantId, string call, Match match, UsageReport? report)
    {
        if (report is null)
        {
            return BadRequest(context, state, $"Resource not found for the segment '{(match.Success ? match.Groups["function"].Value : call)}'.");
        }
        if (!match.Success)
        {
            return BadRequest(context, state, $"The function '{report.Function}' needs a parameter: (period='D7'), 'D30', 'D90' or 'D180'"
                + (report.TakesDate ? ", or (date=YYYY-MM-DD)." : "."));
        }
        if (report.UnderCopilot && !string.Equals(context.Request.Query["$format"].FirstOrDefault(), "text/csv", StringComparison.OrdinalIgnoreCase))
        {
            // Graph answers these reports in JSON unless asked for the CSV file; the sandbox serves the CSV form only.
            return BadRequest(context, state, "The sandbox serves this report as CSV only: add $format=text/csv.");
        }
        var refreshDate = state.Graph.Reports.RefreshDate;
        var name = match.Groups["name"].Value;
        var value = match.Groups["value"].Value;
        UsageReportArgument argument;
        if (name == "period")
        {
            if (value.Length < 2 || value[0] != '\'' || value[^1] != '\''
                || !UsageReportCatalog.Periods.TryGetValue(value[1..^1], out var days))
            {
                return BadRequest(context, state, $"Invalid value '{value}' for parameter 'period'. Use 'D7', 'D30', 'D90' or 'D180' (quoted).");
            }
            argument = new UsageReportArgument(days, null);
        }
        else if (name == "date" && report.TakesDate)
        {
            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return BadRequest(context, state, $"Invalid value '{value}' for parameter 'date'. Use YYYY-MM-DD, unquoted.");
            }
            var oldest = refreshDate.AddDays(1 - DetailDateDays);
            if (date < oldest || date > refreshDate)
            {
                return BadRequest(context, state,
                    $"The date {value} is out of range: this report is available for the last {DetailDateDays} days, "
                    + $"{oldest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {refreshDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.");
            }
            argument = new UsageReportArgument(DetailDateDays, date.DayNumber);
        }
        else
        {
            return BadRequest(context, state, $"The function '{report.Function}' has no parameter '{name}'. Use period"
                + (report.TakesDate ? " or date." : "."));
        }

        if (!state.Graph.Reports.TryTakeBudget(tenantId, report, out var retryAfter))
        {
            context.Items[GraphEndpoints.FaultNameItem] = "budget";
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return GraphEndpoints.Error(context, state, StatusCodes.Status429TooManyRequests, "TooManyRequests",
                "Too many requests for this report. Retry after the interval given in the Retry-After header.");
        }
        var token = state.Graph.Reports.CreateDownloadToken(tenantId, report, argument, refreshDate);
        return new FoundResult($"{state.Urls.Https}{DownloadPath.TrimStart('/')}/{token}");
    }

    /// <summary>
    /// The pre-authenticated download. Any Authorization header is ignored (and logged). Answers 403 for a bad or
    /// expired link, else streams the CSV, applying a pending download fault.
    /// </summary>
    private static async Task DownloadAsync(string token, HttpContext context, SandboxState state)
    {
        if (!context.Request.IsHttps)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var download = state.Graph.Reports.ReadDownloadToken(token);
        SandboxReportDownloadFault? fault = null;
        try
        {
            if (download is null)
            {
                await StorageErrorAsync(context, StatusCodes.Status403Forbidden, "AuthenticationFailed",
                    "Signature did not match. The download link is malformed or was not issued by this server.", state);
                return;
            }
            if (!state.Graph.Knows(download.TenantId))
            {
                await StorageErrorAsync(context, StatusCodes.Status404NotFound, "BlobNotFound", "The specified blob does not exist.", state);
                return;
            }
            fault = state.Graph.Reports.TakeDownloadFault(download.TenantId, download.Report);
            var now = state.Time.GetUtcNow();
            if (download.ExpiresAt <= now || fault?.Kind == "expired")
            {
                var expiry = fault?.Kind == "expired" && download.ExpiresAt > now ? now.AddSeconds(-1) : download.ExpiresAt;
                await StorageErrorAsync(context, StatusCodes.Status403Forbidden, "AuthenticationFailed",
                    $"Signed expiry time [{expiry.ToString("R", CultureInfo.InvariantCulture)}] must be after signed start time "
                    + $"[{now.ToString("R", CultureInfo.InvariantCulture)}]: the download link has expired.", state);
                return;
            }
            if (fault is { Kind: "slow", DelayMs: { } delay })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delay), state.Time, context.RequestAborted);
            }
            if (fault?.Kind == "htmlError")
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(
                    "<!DOCTYPE html><html><head><title>Something went wrong</title></head><body>"
                    + "<h1>Sorry, something went wrong.</h1><p>An unexpected error has occurred. Please try again later.</p>"
                    + $"<p>Correlation ID: {Guid.NewGuid()}</p></body></html>", context.RequestAborted);
                return;
            }

            var report = download.Report;
            var profile = state.Graph.Reports.Profile(download.TenantId, download.RefreshDate);
            if (fault?.Kind is "cutConnection" or "reset")
            {
                await CutConnectionAsync(context, report, profile, download, fault);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers.ContentDisposition =
                $"attachment; filename=\"{report.Function[3..]}{download.RefreshDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.csv\"";
            var truncate = fault?.Kind == "truncate";
            await UsageCsvWriter.WriteAsync(
                context.Response.Body,
                report,
                Shape(report, fault),
                UsageReportRows.For(report, profile, download.Argument),
                truncate && fault!.AfterBytes is null ? fault.AfterRows ?? 3 : null,
                truncate ? fault!.AfterBytes : null,
                context.RequestAborted);
        }
        finally
        {
            state.Graph.Log(new SandboxGraphRequest(
                state.Time.GetUtcNow(),
                download?.TenantId,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Response.StatusCode,
                fault is not null,
                download?.Report.Function,
                fault?.Kind,
                context.Request.Headers.ContainsKey("Authorization")));
        }
    }

    /// <summary>
    /// A transfer that ends early at the transport: the headers promise the whole file (Content-Length), part of it is
    /// sent, then the connection is closed (<c>cutConnection</c>) or reset with a TCP RST (<c>reset</c>), as a storage
    /// front end or a proxy does when it fails mid-response. The client sees an I/O error while reading the body, never
    /// a shorter file that looks complete.
    /// </summary>
    private static async Task CutConnectionAsync(HttpContext context, UsageReport report, UsageTenantProfile profile, DownloadToken download,
        SandboxReportDownloadFault fault)
    {
        using var whole = new MemoryStream();
        await UsageCsvWriter.WriteAsync(whole, report, Shape(report, null), UsageReportRows.For(report, profile, download.Argument), null, null,
            context.RequestAborted);
        var sent = (int)Math.Clamp(fault.AfterBytes ?? whole.Length / 2, 0, Math.Max(0, whole.Length - 1));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = whole.Length;
        await context.Response.Body.WriteAsync(whole.GetBuffer().AsMemory(0, sent), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (fault.Kind == "reset" && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            // Linger 0: closing the socket sends RST instead of FIN.
            socket.LingerState = new LingerOption(true, 0);
        }
        context.Abort();
    }

    /// <summary>The columns a download carries once a header fault is applied.</summary>
    private static UsageCsvShape Shape(UsageReport report, SandboxReportDownloadFault? fault)
    {
        var headers = report.Headers.ToList();
        var sources = Enumerable.Range(0, headers.Count).ToList();
        var column = fault?.Column is { } wanted && headers.IndexOf(wanted) >= 0 ? headers.IndexOf(wanted)
            : headers.IndexOf("Teams Last Activity Date") is >= 0 and var teams ? teams : 1;
        switch (fault?.Kind)
        {
            case "renameHeader":
                var name = headers[column];
                headers[column] = fault.NewName
                    ?? (name.EndsWith(" Date", StringComparison.Ordinal) ? name[..^" Date".Length] : name + " (Preview)");
                break;
            case "missingColumn":
                headers.RemoveAt(column);
                sources.RemoveAt(column);
                break;
            case "extraColumn":
                headers.Add(ExtraColumn);
                sources.Add(-1);
                return new UsageCsvShape(headers, sources, "extra");
            case "reorderHeader":
                // A fixed shuffle (never the identity): header names move with their values.
                var random = new Random(report.Id);
                var order = Enumerable.Range(0, headers.Count).ToArray();
                while (order.SequenceEqual(Enumerable.Range(0, headers.Count)))
                {
                    random.Shuffle(order);
                }
                return new UsageCsvShape([.. order.Select(i => headers[i])], order);
            default:
                break;
        }
        return new UsageCsvShape(headers, sources);
    }

    private static IResult BadRequest(HttpContext context, SandboxState state, string message) =>
        GraphEndpoints.Error(context, state, StatusCodes.Status400BadRequest, "BadRequest", message);

    /// <summary>An Azure Storage style XML error, as the report file host answers.</summary>
    private static async Task StorageErrorAsync(HttpContext context, int status, string code, string detail, SandboxState state)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        var now = state.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var body = new StringBuilder()
            .Append("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>").Append(code).Append("</Code><Message>")
            .Append("Server failed to authenticate the request or find the resource.\nRequestId:").Append(Guid.NewGuid()).Append("\nTime:").Append(now)
            .Append("</Message><AuthenticationErrorDetail>").Append(SecurityElement.Escape(detail)).Append("</AuthenticationErrorDetail></Error>")
            .ToString();
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    [GeneratedRegex(@"^(?<function>[A-Za-z0-9]+)\((?<name>[A-Za-z]+)=(?<value>[^()]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex CallPattern();
}
