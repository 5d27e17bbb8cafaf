using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace DporReports.Sandbox;

/// <summary>The sandbox's fixed directory: tenants and personas. Deterministic, so tests and demo data can refer to it.</summary>
public static class SandboxDirectory
{
    public const string GlobalAdministratorRoleId = "62e90394-69f5-4237-9190-012177145e10";
    public const string GlobalReaderRoleId = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

    /// <summary>Extra <c>wids</c> entry seen on GDAP technicians' tokens (not documented by Microsoft).</summary>
    public const string GdapMarkerRoleId = "08372b87-7d02-482a-9e02-fb03ea5fe193";

    public static readonly Guid ServiceTenantId = new("5e5e0000-0000-4000-8000-000000000001");
    public static readonly Guid ContosoTenantId = new("c1000000-0000-4000-8000-0000000000c1");
    public static readonly Guid FabrikamTenantId = new("c2000000-0000-4000-8000-0000000000c2");
    public static readonly Guid NorthwindTenantId = new("c3000000-0000-4000-8000-0000000000c3");
    public static readonly Guid WoodgroveTenantId = new("c4000000-0000-4000-8000-0000000000c4");
    public static readonly Guid WingtipTenantId = new("c5000000-0000-4000-8000-0000000000c5");
    public static readonly Guid AdatumTenantId = new("a1000000-0000-4000-8000-0000000000a1");
    public static readonly Guid LitwareTenantId = new("a2000000-0000-4000-8000-0000000000a2");
    public static readonly Guid ProsewareTenantId = new("a3000000-0000-4000-8000-0000000000a3");

    // Field initializers run in textual order: the tenant ids above are set before these lists are built.
    private static readonly SandboxTenant[] AllTenants =
    [
        new(ServiceTenantId, "DporReports Operations", "service", "dporreports.example"),
        new(ContosoTenantId, "Contoso Ltd", "customer", "contoso.example"),
        new(FabrikamTenantId, "Fabrikam, Inc.", "customer", "fabrikam.example"),
        new(NorthwindTenantId, "Northwind Traders", "customer", "northwind.example"),
        new(WoodgroveTenantId, "Woodgrove Bank", "customer", "woodgrove.example"),
        new(WingtipTenantId, "Wingtip Toys School District", "customer", "wingtip.example"),
        new(AdatumTenantId, "Adatum Consulting", "partner", "adatum.example"),
        new(LitwareTenantId, "Litware Partners", "partner", "litware.example"),
        new(ProsewareTenantId, "Proseware Cloud Services", "partner", "proseware.example"),
    ];

    private static readonly SandboxPersona[] AllPersonas = BuildPersonas();

    private static readonly FrozenDictionary<string, SandboxPersona> ByKey =
        AllPersonas.ToFrozenDictionary(p => p.Key, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<SandboxTenant> Tenants => AllTenants;

    public static IReadOnlyList<SandboxPersona> Personas => AllPersonas;

    public static SandboxPersona Persona(string key) =>
        ByKey.TryGetValue(key, out var persona)
            ? persona
            : throw new KeyNotFoundException(
                $"Unknown sandbox persona '{key}'. Known personas: {string.Join(", ", AllPersonas.Select(p => p.Key))}.");

    internal static bool TryGetPersona(string key, out SandboxPersona persona) => ByKey.TryGetValue(key, out persona!);

    internal static SandboxTenant? FindTenant(Guid id) => Array.Find(AllTenants, t => t.Id == id);

    internal static SandboxTenant? FindTenantByDomain(string domain) =>
        Array.Find(AllTenants, t => string.Equals(t.Domain, domain, StringComparison.OrdinalIgnoreCase));

    /// <summary>Entra's v1 issuer of a tenant, the form the <c>idp</c> claim takes for guests and partner technicians.</summary>
    internal static string StsIssuer(Guid tenantId) => $"https://sts.windows.net/{tenantId}/";

    /// <summary>
    /// A stable GUID from a seed: the first 16 bytes of SHA-256, with RFC 4122 version 4 and variant bits set so it
    /// looks like the random object ids Entra issues.
    /// </summary>
    internal static Guid DeterministicGuid(string seed)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seed))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static SandboxPersona[] BuildPersonas()
    {
        var personas = new List<SandboxPersona>();
        var litwareIdp = StsIssuer(LitwareTenantId);
        var adatumIdp = StsIssuer(AdatumTenantId);

        (string Key, Guid Tenant, string Domain, string Admin, string Reader, string User, string Guest)[] customers =
        [
            ("contoso", ContosoTenantId, "contoso.example", "Ada Admin", "Rita Reader", "Uma User", "Gus Guest"),
            ("fabrikam", FabrikamTenantId, "fabrikam.example", "Fiona Admin", "Felix Reader", "Farah User", "Greta Guest"),
            ("northwind", NorthwindTenantId, "northwind.example", "Nadia Admin", "Noah Reader", "Nina User", "Gil Guest"),
            ("woodgrove", WoodgroveTenantId, "woodgrove.example", "Wanda Admin", "Walt Reader", "Wes User", "Gwen Guest"),
            ("wingtip", WingtipTenantId, "wingtip.example", "Wilma Admin", "Wade Reader", "Willa User", "Gio Guest"),
        ];
        foreach (var c in customers)
        {
            personas.Add(Member($"{c.Key}-admin", c.Admin, c.Domain, c.Tenant, [GlobalAdministratorRoleId], [], "Global Administrator (member)"));
            personas.Add(Member($"{c.Key}-reader", c.Reader, c.Domain, c.Tenant, [GlobalReaderRoleId], [], "Global Reader (member)"));
            personas.Add(Member($"{c.Key}-user", c.User, c.Domain, c.Tenant, [], [], "User without directory roles (member)"));
            personas.Add(new SandboxPersona($"{c.Key}-guest-admin", c.Guest, Upn(c.Guest, "litware.example"), c.Tenant,
                ObjectIdFor($"{c.Key}-guest-admin"), [GlobalAdministratorRoleId], [], litwareIdp, 1,
                "Global Administrator (guest from Litware Partners)"));
            // GDAP technicians act in the customer tenant without a user object there: no oid.
            personas.Add(new SandboxPersona($"{c.Key}-gdap-adatum", "Tina Tech (Adatum GDAP)", "tina.tech@adatum.example", c.Tenant,
                null, [GlobalAdministratorRoleId, GdapMarkerRoleId], [], adatumIdp, 0,
                "GDAP technician from Adatum Consulting (no oid; Global Administrator + GDAP marker)"));
            if (c.Key == "contoso")
            {
                personas.Add(new SandboxPersona("contoso-dap-adatum", "Dan Delegate (Adatum DAP)", "dan.delegate@adatum.example", c.Tenant,
                    ObjectIdFor("contoso-dap-adatum"), [GlobalAdministratorRoleId], [], adatumIdp, 0,
                    "DAP-style delegated admin from Adatum Consulting (Global Administrator)"));
            }
        }

        (string Key, Guid Tenant, string Domain, string Admin, string Reader)[] partners =
        [
            ("adatum", AdatumTenantId, "adatum.example", "Adam Admin", "Ava Reader"),
            ("litware", LitwareTenantId, "litware.example", "Liam Admin", "Lena Reader"),
            ("proseware", ProsewareTenantId, "proseware.example", "Paul Admin", "Pia Reader"),
        ];
        foreach (var p in partners)
        {
            personas.Add(Member($"{p.Key}-admin", p.Admin, p.Domain, p.Tenant, [], ["Partner.Admin"], "Partner administrator (app role Partner.Admin)"));
            personas.Add(Member($"{p.Key}-reader", p.Reader, p.Domain, p.Tenant, [], ["Partner.Reader"], "Partner reader (app role Partner.Reader)"));
        }

        personas.Add(Member("operator", "Olivia Operator", "dporreports.example", ServiceTenantId, [], ["Operator"], "Service operator (app role Operator)"));
        personas.Add(Member("service-user", "Sam Service", "dporreports.example", ServiceTenantId, [], [], "Service tenant member without app roles"));
        return [.. personas];
    }

    private static SandboxPersona Member(string key, string name, string domain, Guid tenant, string[] wids, string[] roles, string description) =>
        new(key, name, Upn(name, domain), tenant, ObjectIdFor(key), wids, roles, null, 0, description);

    private static Guid ObjectIdFor(string key) => DeterministicGuid("persona:" + key);

    private static string Upn(string displayName, string domain) =>
        $"{displayName.Replace(' ', '.').ToLowerInvariant()}@{domain}";
}
