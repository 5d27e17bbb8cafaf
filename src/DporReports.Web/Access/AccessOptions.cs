using System.ComponentModel.DataAnnotations;

namespace DporReports.Web.Access;

public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>The service's own Entra tenant: its members with the Operator app role run the service.</summary>
    [Required] public Guid? ServiceTenantId { get; set; }

    /// <summary>The delegated scope every API call must carry (exposed by the app registration).</summary>
    [Required] public string ApiScope { get; set; } = "access_as_user";

    /// <summary>Partner ID lookups per signed-in user per minute: the directory must not be enumerable by brute force.</summary>
    [Range(1, 1000)] public int LookupsPerMinute { get; set; } = 30;
}
