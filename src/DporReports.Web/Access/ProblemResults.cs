using DporReports.Core.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Access;

public static class ProblemResults
{
    /// <summary>A feature's <see cref="Problem"/> as RFC 9457 problem details, with its code and field errors.</summary>
    public static ProblemHttpResult ToHttp(this Problem problem)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = problem.Code };
        if (problem.Errors is not null) extensions["errors"] = problem.Errors;
        return TypedResults.Problem(detail: problem.Message, statusCode: problem.Status, title: Title(problem.Status), extensions: extensions);
    }

    private static string Title(int status) => status switch
    {
        400 => "The request has errors",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict",
        429 => "Too many requests",
        _ => "The request could not be completed",
    };
}
