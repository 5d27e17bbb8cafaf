namespace DporReports.Sandbox.Graph;

/// <summary>Graph's top-level error codes for the statuses the sandbox injects.</summary>
internal static class GraphErrorCodes
{
    public static (string Code, string Message)? ForFault(int status) => status switch
    {
        429 => ("TooManyRequests", "Too many requests. Retry after the interval given in the Retry-After header."),
        500 => ("InternalServerError", "An internal server error occurred."),
        502 => ("BadGateway", "The gateway received an invalid response."),
        503 => ("ServiceUnavailable", "The service is temporarily unavailable. Try again later."),
        504 => ("GatewayTimeout", "The gateway timed out."),
        _ => null,
    };
}
