using System.Globalization;

namespace DporReports.Sandbox.Endpoints;

/// <summary>Token endpoint errors in Entra ID's JSON shape, which MSAL parses (error, AADSTS code, ids, timestamp).</summary>
internal static class EntraError
{
    public static IResult Json(HttpContext context, TimeProvider time, int statusCode, string error, int code, string message)
    {
        var now = time.GetUtcNow();
        var timestamp = now.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var traceId = Guid.NewGuid().ToString();
        var correlationId = context.Request.Headers["client-request-id"].FirstOrDefault() ?? Guid.NewGuid().ToString();
        var body = new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] =
                $"AADSTS{code}: {message} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}",
            ["error_codes"] = new[] { code },
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
        };
        return Results.Json(body, statusCode: statusCode);
    }
}
