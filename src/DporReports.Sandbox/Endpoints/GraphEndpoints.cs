using System.Globalization;
using System.Text.Json.Serialization;
using DporReports.Sandbox.Graph;
using DporReports.Sandbox.Hosting;
using DporReports.Sandbox.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DporReports.Sandbox.Endpoints;

/// <summary>A page of a Graph collection, in Graph's member order.</summary>
internal sealed record GraphCollection<T>(
    [property: JsonPropertyName("@odata.context")] string Context,
    [property: JsonPropertyName("@odata.nextLink"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink,
    [property: JsonPropertyName("value")] IReadOnlyList<T> Value);

/// <summary>
/// Microsoft Graph v1.0 stand-in under <c>/graph/v1.0/</c> (HTTPS listener only): <c>directory/subscriptions</c>,
/// <c>subscribedSkus</c> and <c>organization</c>, with Graph's authorization (app-only sandbox token with
/// Organization.Read.All in a consented tenant), paging, error bodies and the test faults.
/// </summary>
internal static class GraphEndpoints
{
    public const string BasePath = "/graph/v1.0";
    public const string BetaPath = "/graph/beta";
    private const string MetadataPrefix = "https://graph.microsoft.com/v1.0/$metadata#";
    private const string ODataContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    public const string InventoryRole = "Organization.Read.All";
    public const string ReportsRole = "Reports.Read.All";
    public const string FunctionItem = "DporReports.Sandbox.Graph.Function";
    public const string FaultNameItem = "DporReports.Sandbox.Graph.FaultName";
    private const string TenantItem = "DporReports.Sandbox.Graph.Tenant";
    private const string FaultItem = "DporReports.Sandbox.Graph.Fault";
    private const string RequestIdHeader = "request-id";
    private const string ClientRequestIdHeader = "client-request-id";
    private static readonly string[] Audiences = ["https://graph.microsoft.com", TokenIssuer.GraphAppId];
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256];
    private static readonly JsonWebTokenHandler Handler = new();

    public static void MapGraphEndpoints(this IEndpointRouteBuilder app)
    {
        var graph = app.MapGroup(BasePath);
        graph.AddEndpointFilter(HttpsAndLogAsync);

        graph.MapGet("/directory/subscriptions", (HttpContext context, SandboxState state) =>
            ServeAsync(context, state, "subscriptions", tenantId =>
                Page(context, state, tenantId, "subscriptions", "directory/subscriptions", state.Graph.Subscriptions(tenantId))));
        graph.MapGet("/subscribedSkus", (HttpContext context, SandboxState state) =>
            ServeAsync(context, state, "subscribedSkus", tenantId =>
                Page(context, state, tenantId, "subscribedSkus", "subscribedSkus", state.Graph.SubscribedSkus(tenantId))));
        graph.MapGet("/organization", (HttpContext context, SandboxState state) =>
            ServeAsync(context, state, "organization", tenantId => Organization(context, state, tenantId)));
        // Usage reports: reports/getOffice365ActiveUserDetail(period='D7') answers 302 to a pre-authenticated CSV download.
        graph.MapGet("/reports/{call}", (string call, HttpContext context, SandboxState state) => GraphReportEndpoints.CallAsync(call, context, state));
        // Microsoft 365 Copilot's usage reports live on beta: /beta/copilot/reports/getMicrosoft365CopilotUsageUserDetail(period='D30').
        var beta = app.MapGroup(BetaPath);
        beta.AddEndpointFilter(HttpsAndLogAsync);
        beta.MapGet("/copilot/reports/{call}", (string call, HttpContext context, SandboxState state) =>
            GraphReportEndpoints.CallAsync(call, context, state, copilot: true));
        beta.Map("/{**rest}", (string? rest, HttpContext context, SandboxState state) =>
            Error(context, state, StatusCodes.Status400BadRequest, "BadRequest",
                $"Resource not found for the segment '{(rest ?? "").Split('/')[0]}'."));
        // Anything else: Graph's answer for a segment it does not know.
        graph.Map("/{**rest}", (string? rest, HttpContext context, SandboxState state) =>
            Error(context, state, StatusCodes.Status400BadRequest, "BadRequest",
                $"Resource not found for the segment '{(rest ?? "").Split('/')[0]}'."));
    }

    /// <summary>HTTPS only (404 on the browser listener); request-id headers; every answer goes to the request log.</summary>
    private static async ValueTask<object?> HttpsAndLogAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (!context.Request.IsHttps)
        {
            return Results.NotFound();
        }
        context.Response.Headers[RequestIdHeader] = Guid.NewGuid().ToString();
        context.Response.Headers[ClientRequestIdHeader] =
            context.Request.Headers[ClientRequestIdHeader].FirstOrDefault() is { Length: > 0 } clientRequestId ? clientRequestId : Guid.NewGuid().ToString();

        var result = await next(invocation);

        var state = context.RequestServices.GetRequiredService<SandboxState>();
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        state.Graph.Log(new SandboxGraphRequest(
            state.Time.GetUtcNow(),
            context.Items[TenantItem] as Guid?,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            status,
            context.Items.ContainsKey(FaultItem),
            context.Items[FunctionItem] as string,
            context.Items[FaultNameItem] as string,
            context.Request.Headers.ContainsKey("Authorization")));
        return result;
    }

    /// <summary>Authorizes as Graph does, applies a pending fault, then answers.</summary>
    internal static async Task<IResult> ServeAsync(
        HttpContext context, SandboxState state, string path, Func<Guid, IResult> answer, string requiredRole = InventoryRole)
    {
        var (tenantId, failure) = await AuthorizeAsync(context, state, requiredRole);
        if (failure is not null)
        {
            return failure;
        }
        context.Items[TenantItem] = tenantId;

        if (state.Graph.TakeFault(tenantId, path) is { } fault)
        {
            context.Items[FaultItem] = true;
            context.Items[FaultNameItem] = fault.Status is { } faultStatus ? faultStatus.ToString(CultureInfo.InvariantCulture) : "delay";
            if (fault.DelayMs is > 0 and var delay)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delay), state.Time, context.RequestAborted);
            }
            if (fault.Status is { } status)
            {
                if (fault.RetryAfterSeconds is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                }
                var (code, message) = GraphErrorCodes.ForFault(status) ?? ("UnknownError", "An error occurred.");
                return Error(context, state, status, code, message);
            }
        }
        return answer(tenantId);
    }

    /// <summary>
    /// A bearer token this sandbox signed, for Graph, in a known tenant (else 401); app-only with the required role
    /// (Organization.Read.All for the inventory, Reports.Read.All for usage reports), in a tenant whose admin consent is
    /// still granted (else 403).
    /// </summary>
    private static async Task<(Guid TenantId, IResult? Failure)> AuthorizeAsync(HttpContext context, SandboxState state, string requiredRole)
    {
        const string Scheme = "Bearer ";
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : "";
        if (token.Length == 0)
        {
            return (default, Unauthorized(context, state, "Access token is empty."));
        }
        if (!Handler.CanReadToken(token))
        {
            return (default, Unauthorized(context, state, "Invalid JWT token. The token is not in JWS compact serialization format."));
        }
        var unvalidated = Handler.ReadJsonWebToken(token);
        if (!unvalidated.TryGetPayloadValue<string>("tid", out var tid) || !Guid.TryParse(tid, out var tenantId))
        {
            return (default, Unauthorized(context, state, "Access token validation failure. The token has no tenant (tid)."));
        }

        var validation = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = state.Urls.Issuer(tid),
            ValidAudiences = Audiences,
            IssuerSigningKey = state.Issuer.SigningKey,
            ValidAlgorithms = Algorithms,
            // Lifetime is checked below against the sandbox's own clock (its TimeProvider, which tests may control).
            ValidateLifetime = false,
        });
        if (!validation.IsValid)
        {
            return (default, Unauthorized(context, state, Describe(validation.Exception)));
        }
        var jwt = (JsonWebToken)validation.SecurityToken;
        var now = state.Time.GetUtcNow().UtcDateTime;
        if (jwt.ValidTo == DateTime.MinValue || jwt.ValidTo <= now)
        {
            return (default, Unauthorized(context, state, "Lifetime validation failed, the token is expired."));
        }
        if (jwt.ValidFrom > now)
        {
            return (default, Unauthorized(context, state, "Lifetime validation failed, the token is not yet valid."));
        }
        if (!state.Graph.Knows(tenantId))
        {
            return (default, Unauthorized(context, state, $"Access token validation failure. Tenant '{tenantId}' does not exist."));
        }

        var appOnly = jwt.TryGetPayloadValue<string>("idtyp", out var idtyp) && idtyp == "app";
        var hasRole = jwt.Claims.Any(c => c.Type == "roles" && c.Value == requiredRole);
        if (!appOnly || !hasRole || !state.Consents.IsGranted(tenantId))
        {
            // A token cached before the admin revoked consent stops working here.
            return (default, Error(context, state, StatusCodes.Status403Forbidden, "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation."));
        }
        return (tenantId, null);
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAudienceException => "Access token validation failure. Invalid audience.",
        SecurityTokenInvalidIssuerException => "Access token validation failure. Invalid issuer.",
        SecurityTokenInvalidSignatureException => "Access token validation failure. Invalid signature.",
        _ => "Access token validation failure.",
    };

    /// <summary>One page of a collection: <c>$top</c> (1..999) or the tenant's page size, continued by a signed <c>$skiptoken</c>.</summary>
    private static IResult Page<T>(HttpContext context, SandboxState state, Guid tenantId, string collection, string relativePath, IReadOnlyList<T> items)
    {
        var query = context.Request.Query;
        var topValue = query["$top"].FirstOrDefault() ?? query["top"].FirstOrDefault();
        var top = state.Graph.PageSize(tenantId);
        if (topValue is not null
            && (!int.TryParse(topValue, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > SandboxGraph.MaxPageSize))
        {
            return Error(context, state, StatusCodes.Status400BadRequest, "Request_UnsupportedQuery",
                $"Invalid page size specified: '{topValue}'. Must be between 1 and {SandboxGraph.MaxPageSize} inclusive.");
        }
        var offset = 0;
        var skipToken = query["$skiptoken"].FirstOrDefault() ?? query["skiptoken"].FirstOrDefault();
        if (skipToken is not null && !state.Graph.TryReadSkipToken(skipToken, tenantId, collection, out offset))
        {
            return Error(context, state, StatusCodes.Status400BadRequest, "Request_BadRequest",
                "Invalid '$skiptoken' value: it is malformed or was not issued for this tenant and resource.");
        }

        var page = items.Skip(offset).Take(top).ToList();
        var nextOffset = offset + page.Count;
        var nextLink = page.Count > 0 && nextOffset < items.Count
            ? $"{state.Urls.Https}{BasePath.TrimStart('/')}/{relativePath}?$top={top.ToString(CultureInfo.InvariantCulture)}&$skiptoken={state.Graph.CreateSkipToken(tenantId, collection, nextOffset)}"
            : null;
        return Results.Json(new GraphCollection<T>(MetadataPrefix + relativePath, nextLink, page), contentType: ODataContentType);
    }

    /// <summary>The tenant's organization object (the product reads its display name), honouring a simple <c>$select</c>.</summary>
    private static IResult Organization(HttpContext context, SandboxState state, Guid tenantId)
    {
        var tenant = state.Graph.FindTenant(tenantId)!;
        var organization = new Dictionary<string, object?>
        {
            ["id"] = tenant.Id.ToString(),
            ["displayName"] = tenant.DisplayName,
            ["tenantType"] = "AAD",
            ["countryLetterCode"] = "US",
            ["preferredLanguage"] = "en",
            ["verifiedDomains"] = new[]
            {
                new Dictionary<string, object> { ["capabilities"] = "Email, OfficeCommunicationsOnline", ["isDefault"] = true, ["isInitial"] = false, ["name"] = tenant.Domain, ["type"] = "Managed" },
            },
        };
        var select = context.Request.Query["$select"].FirstOrDefault() ?? context.Request.Query["select"].FirstOrDefault();
        var contextUrl = MetadataPrefix + "organization";
        if (!string.IsNullOrWhiteSpace(select))
        {
            var wanted = select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            organization = organization
                .Where(p => wanted.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
                .ToDictionary(p => p.Key, p => p.Value);
            contextUrl += $"({string.Join(',', wanted)})";
        }
        return Results.Json(new GraphCollection<Dictionary<string, object?>>(contextUrl, null, [organization]), contentType: ODataContentType);
    }

    private static IResult Unauthorized(HttpContext context, SandboxState state, string message)
    {
        context.Response.Headers.WWWAuthenticate =
            $"Bearer realm=\"\", authorization_uri=\"{state.Urls.Http}common/oauth2/v2.0/authorize\", client_id=\"{TokenIssuer.GraphAppId}\"";
        return Error(context, state, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", message);
    }

    /// <summary>Graph's error body: <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c>.</summary>
    internal static IResult Error(HttpContext context, SandboxState state, int statusCode, string code, string message)
    {
        var innerError = new Dictionary<string, string>
        {
            ["date"] = state.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            [RequestIdHeader] = context.Response.Headers[RequestIdHeader].ToString(),
            [ClientRequestIdHeader] = context.Response.Headers[ClientRequestIdHeader].ToString(),
        };
        var body = new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, object> { ["code"] = code, ["message"] = message, ["innerError"] = innerError },
        };
        return Results.Json(body, contentType: "application/json", statusCode: statusCode);
    }
}
