using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace DporReports.Web.Operations;

/// <summary>The fields of a page request that could not be read, for the shared error page.</summary>
public sealed record FormErrorsView(string BackTo, IReadOnlyList<string> Fields);

/// <summary>
/// A page form or query value that does not bind (a date that is not a date, a number that is not a number, a missing
/// required value) stops the handler: without this, the handler would run with the property's default (no date means
/// "the last 28 days") and act on something the person never asked for. The request gets a 400 page naming the fields,
/// and nothing runs, so nothing is stored.
/// </summary>
internal sealed class FormBindingErrorsFilter : IAsyncPageFilter
{
    private const int MaxFieldName = 64;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.ModelState.IsValid)
        {
            await next();
            return;
        }
        // Field names only, never the value sent (the framework's own messages repeat it, unbounded).
        var fields = context.ModelState.Where(entry => entry.Value?.Errors.Count > 0)
            .Select(entry => entry.Key.Length > MaxFieldName ? entry.Key[..MaxFieldName] + "…" : entry.Key)
            .Select(field => field.StartsWith("Form.", StringComparison.Ordinal) ? field["Form.".Length..] : field)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var metadata = context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
        context.Result = new ViewResult
        {
            ViewName = "/Pages/Shared/_FormErrors.cshtml",
            StatusCode = StatusCodes.Status400BadRequest,
            ViewData = new ViewDataDictionary<FormErrorsView>(metadata, new ModelStateDictionary())
            {
                Model = new FormErrorsView(Access.ReturnUrls.LocalOrRoot(context.HttpContext.Request.Path.Value), fields),
            },
        };
    }
}
