using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace DporReports.Web.Partners;

/// <summary>
/// A 200 JSON answer whose bytes are kept (in <see cref="KeptBodies"/>) for the immutable object they were made from (a kept
/// portfolio) and the query: the requests of one data version and query then share one serialization. At 10,000 customers the summary's body is about
/// 190 KB, and writing it again for every request was most of the request. The contract is <typeparamref name="T"/>'s, as
/// <see cref="Microsoft.AspNetCore.Http.HttpResults.Ok{TValue}"/> declares it.
/// </summary>
public sealed class KeptJson<T> : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private readonly object _source;
    private readonly object _query;
    private readonly Func<T> _value;

    /// <param name="source">The immutable object the value is made from: the bytes live as long as it does.</param>
    /// <param name="query">Everything else the value depends on, as a key with value equality (a record): two asks are one
    /// key exactly when they are equal, whatever their text or the request's culture.</param>
    /// <param name="value">Makes the value; called only when the bytes are not kept yet.</param>
    public KeptJson(object source, object query, Func<T> value) => (_source, _query, _value) = (source, query, value);

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        if (!KeptBodies.Shared.TryGet(_source, _query, out var body))
        {
            body = JsonSerializer.SerializeToUtf8Bytes(_value(), options.GetTypeInfo(typeof(T)));
            KeptBodies.Shared.Keep(_source, _query, body);
        }
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
