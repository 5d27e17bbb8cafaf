using DporReports.Core.Identity;
using DporReports.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace DporReports.Web.Operations;

/// <summary>The API's tags, one per area, with what each is for (the contract's table of contents).</summary>
public static class ApiTags
{
    public const string Account = "Account";
    public const string CustomerPartnerOfRecord = "Customer: partner of record";
    public const string PartnerRegistration = "Partner registration";
    public const string PartnerCustomers = "Partner: customers";
    public const string PartnerUsage = "Partner: usage";
    public const string PartnerWorkbooks = "Partner: workbooks";
    public const string PartnerSchedules = "Partner: report schedules";
    public const string PartnerAlerts = "Partner: adoption alerts";
    public const string Operations = "Operations";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Account] = "The signed-in user as the service sees the bearer token.",
        [CustomerPartnerOfRecord] = "A customer tenant's subscriptions and their Digital Partner of Record: look a partner up by Partner ID, " +
            "name, change or remove it (the tenant's own Global Administrator only), and the tenant's ledger.",
        [PartnerRegistration] = "A partner organisation registers with its Partner IDs (MPN IDs) and keeps its registration current; " +
            "operators review it.",
        [PartnerCustomers] = "The customers and subscriptions a partner is the verified, current partner of record of, and its assignment ledger.",
        [PartnerUsage] = "Usage of the partner's customers (MAU, PAU, usage %, daily active users) over its verified assignment windows only.",
        [PartnerWorkbooks] = "Excel workbooks on demand: request one, follow its progress, download it.",
        [PartnerSchedules] = "Workbooks delivered by e-mail on a cadence, their runs, and the domains they may be mailed to.",
        [PartnerAlerts] = "Thresholds on the adoption signals and the weekly digest mail of what crossed them, each item once.",
        [Operations] = "For operators of the service: partner review, recipient domains, ingestion health. No customer usage figures.",
    };
}

public static class ApiContract
{
    /// <summary>The OAuth 2.0 security scheme of the contract: Entra ID's authorization code flow for the API's scope.</summary>
    public const string SecuritySchemeName = "EntraId";

    /// <summary>The OpenAPI document at /openapi/v1.json, complete enough to generate a client from.</summary>
    public static IServiceCollection AddApiContract(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer<DocumentTransformer>();
        o.AddOperationTransformer<SecurityTransformer>();
        o.AddSchemaTransformer((schema, context, _) =>
        {
            // Our refusals carry a stable code and, for validation, the fields in error (ProblemResults): say so.
            if (context.JsonTypeInfo.Type == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))
            {
                schema.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
                schema.Properties["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Description = "A stable, machine-readable reason, e.g. validation, unknown_partner_id, rate_limited.",
                };
                schema.Properties["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object, Description = "For validation: the fields in error, each with its messages.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                };
                schema.AdditionalPropertiesAllowed = true;
                schema.AdditionalProperties = null;
            }
            return Task.CompletedTask;
        });
    });

    /// <summary>
    /// What every API endpoint shares: the 401 and 403 problem answers of its token and policy checks, and a Retry-After on
    /// every 429 (the lookup budget's minute).
    /// </summary>
    public static TBuilder WithApiConventions<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Problems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is IStatusCodeHttpResult { StatusCode: StatusCodes.Status429TooManyRequests })
                context.HttpContext.Response.Headers.RetryAfter = "60";
            return result;
        });
        return builder;
    }

    /// <summary>Declares the problem-details answers an endpoint gives besides its success (each 4xx a problem+json body).</summary>
    public static TBuilder Problems<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses) builder.ProducesProblem(status);
        return builder;
    }

    /// <summary>Title, description, tags with descriptions and the security scheme: Entra ID, the API scope, the app roles.</summary>
    private sealed class DocumentTransformer(IOptions<EntraIdOptions> entra, IOptions<AccessOptions> access) : IOpenApiDocumentTransformer
    {
        public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
        {
            document.Info = new OpenApiInfo
            {
                Title = "DporReports API",
                Version = "v1",
                Description = "Digital Partner of Record for Microsoft cloud subscriptions: customers name the partner of record of each " +
                    "subscription; partners see the usage of the subscriptions they are the verified partner of record of. Every operation " +
                    "needs an Entra ID access token for this application with the scope " + access.Value.ApiScope + "; what a caller may " +
                    "do follows from its tenant, its directory roles and the app roles Partner.Admin, Partner.Reader and Operator. " +
                    "Refusals are RFC 9457 problem details with a stable code.",
                License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
            };
            // Relative: the same contract wherever the service runs (and for the checked-in copy the client is generated from).
            document.Servers = [new OpenApiServer { Url = "/", Description = "This DporReports host" }];
            // Described once here; the operations' tags (by name) are the same objects the generator collected.
            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                tag.Description = ApiTags.Descriptions.GetValueOrDefault(tag.Name ?? "");

            var instance = (entra.Value.Instance ?? "https://login.microsoftonline.com/").TrimEnd('/');
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "Entra ID (multi-tenant, any organisation). Request the scope below; the token's tenant (tid) decides whose " +
                    "data is reached, its app roles (roles: Partner.Admin, Partner.Reader, Operator) and directory roles (wids) what may be done.",
                Flows = new OpenApiOAuthFlows
                {
                    AuthorizationCode = new OpenApiOAuthFlow
                    {
                        AuthorizationUrl = new Uri($"{instance}/organizations/oauth2/v2.0/authorize"),
                        TokenUrl = new Uri($"{instance}/organizations/oauth2/v2.0/token"),
                        Scopes = new Dictionary<string, string>(StringComparer.Ordinal)
                        {
                            [Scope(entra.Value, access.Value)] = "Use DporReports as the signed-in user.",
                        },
                    },
                },
            };
            return Task.CompletedTask;
        }
    }

    /// <summary>Every operation that needs a token says so, with the scope, and names the access policy that decides.</summary>
    private sealed class SecurityTransformer(IOptions<EntraIdOptions> entra, IOptions<AccessOptions> access) : IOpenApiOperationTransformer
    {
        public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Where(p => p != SignInModule.ApiPolicy)
                .Distinct(StringComparer.Ordinal).ToList();
            if (!metadata.OfType<IAuthorizeData>().Any()) return Task.CompletedTask;
            // Every operation that takes a body can get a body it cannot read, one too large, or one of another type.
            if (operation.RequestBody is not null && operation.Responses?.TryGetValue("401", out var problem) == true)
            {
                foreach (var (status, description) in BodyProblems)
                    operation.Responses.TryAdd(status, new OpenApiResponse { Description = description, Content = problem.Content });
            }
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [Scope(entra.Value, access.Value)] },
            ];
            if (policies.Count > 0)
                operation.Description = (operation.Description is { Length: > 0 } text ? text + "\n\n" : "")
                    + "Allowed for: " + string.Join("; ", policies.Select(AccessPolicies.Describe)) + ".";
            return Task.CompletedTask;
        }
    }

    private static readonly (string Status, string Description)[] BodyProblems =
    [
        ("400", "Bad Request: the body could not be read, or a member is missing, unknown or invalid."),
        ("413", "Content Too Large: API bodies are at most 1 MiB."),
        ("415", "Unsupported Media Type: send application/json."),
    ];

    private static string Scope(EntraIdOptions entra, AccessOptions access) => $"api://{entra.ClientId}/{access.ApiScope}";
}
