using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace DporReports.Web.Operations;

/// <summary>
/// API bodies are small JSON documents: the largest real one (a schedule with 20 recipients and 200 customers) is under
/// 16 KB. A body over 1 MiB is refused before anything reads it, so a few megabytes sent in a loop cost us nothing.
/// </summary>
public static class RequestLimits
{
    public const long MaxApiBodyBytes = 1024 * 1024;

    public static IApplicationBuilder UseApiBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        if (context.Request.ContentLength > MaxApiBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge, Title = "The request is too large",
                    Detail = $"API request bodies are at most {MaxApiBodyBytes} bytes.", Extensions = { ["code"] = "body_too_large" },
                },
            });
            return;
        }
        // A body without a length (chunked) is cut at the same size by the server (Kestrel), which then fails the read.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxApiBodyBytes;
        await next(context);
    });
}
