using System.Text.Json;
using System.Text.Json.Serialization;
using DporReports.Core.Data;
using DporReports.Web.Access;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DporReports.Web.Operations;

public static class OperationsModule
{
    /// <summary>Host plumbing: pages, JSON, problem details, OpenAPI, health checks, the clock.</summary>
    public static WebApplicationBuilder AddWebHost(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // The launch profile names no address, so `dotnet run` honours ASPNETCORE_URLS and --urls; with neither, the
        // README's address. (A launch profile's applicationUrl would override ASPNETCORE_URLS without a word.)
        if (builder.Environment.IsDevelopment() && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration["http_ports"]) && string.IsNullOrEmpty(builder.Configuration["https_ports"])
            && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
            builder.WebHost.UseUrls(DevelopmentUrl);
        services.AddSingleton(TimeProvider.System);
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Partner", AccessPolicies.PartnerApplicant);
            o.Conventions.AuthorizeFolder("/Ops", AccessPolicies.Operator);
            o.Conventions.AuthorizeFolder("/Customer", AccessPolicies.Customer);
        }).AddMvcOptions(o => o.Filters.Add<FormBindingErrorsFilter>());
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            // Strict bodies: a member the contract requires (a record parameter without a default) must be sent, and a member
            // it does not know is an error — a typo or a missing "domains" is refused, never read as "empty" or "default".
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        // Every binding failure (unreadable JSON, a missing body, a query value of the wrong type) reaches the handler below,
        // in every environment: a problem-details 400 that says what failed, not a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddApiContract();
        services.AddHealthChecks().AddDbContextCheck<DporDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>The embedded default's address when nothing else names one (README).</summary>
    public const string DevelopmentUrl = "http://localhost:5080";

    /// <summary>Where the job dashboard lives (operators only).</summary>
    public const string DashboardPath = "/ops/jobs";

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync });
        app.MapOpenApi();
        // The dashboard shows job arguments and errors: operators only, through the same policy as every operator page.
        app.MapHangfireDashboardWithAuthorizationPolicy(AccessPolicies.Operator, DashboardPath, new DashboardOptions
        {
            DashboardTitle = "DporReports jobs",
            AppPath = "/",
            Authorization = Array.Empty<IDashboardAuthorizationFilter>(),
        });
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web);
    }
}

/// <summary>
/// A body that is not valid JSON (or a parameter that does not bind) is the caller's error: 400 with what failed,
/// never a 500. ASP.NET Core throws BadHttpRequestException for it in Development and answers bare 400s elsewhere.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is StoredTextTooLongException tooLong) return await TooLongAsync(httpContext, tooLong);
        if (exception is not BadHttpRequestException bad) return false;
        httpContext.Response.StatusCode = bad.StatusCode;
        // The serializer's own sentence names the member and the position (never the value sent); the length is bounded anyway.
        var detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = bad.StatusCode, Title = "The request could not be read", Detail = detail.Length > 600 ? detail[..600] + "…" : detail,
                Extensions = { ["code"] = "unreadable_request" },
            },
        });
    }

    /// <summary>A text that no validator bounded reached the database's limit: still the caller's error, named, and nothing saved.</summary>
    private async ValueTask<bool> TooLongAsync(HttpContext httpContext, StoredTextTooLongException tooLong)
    {
        var field = JsonNamingPolicy.CamelCase.ConvertName(tooLong.Property);
        var message = $"{field} is longer than {tooLong.MaxLength} characters.";
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status400BadRequest, Title = "The request has errors", Detail = message,
                Extensions = { ["code"] = "validation", ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
            },
        });
    }
}
