using System.Text.RegularExpressions;
using DporReports.Core.Data;
using DporReports.Core.Shared;
using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Reports.Schedules;

/// <summary>
/// Operators allow a partner's schedules to mail domains beyond its own verified ones (and withdraw them). The partner's
/// Entra-verified domains are not theirs to change. Runs in the named partner's scope like any partner-owned write.
/// </summary>
public sealed partial class OperatorRecipientDomains(DporDbContext db, PartnerScope scope, TimeProvider clock)
{
    public const int MaxDomains = 20;

    public async Task<Outcome<List<RecipientDomain>>> ListAsync(Guid partnerId, CancellationToken ct)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, ct)) return UnknownPartner;
        scope.Set(partnerId);
        return await db.Set<RecipientDomain>().AsNoTracking().OrderBy(d => d.Domain).ToListAsync(ct);
    }

    /// <summary>Replaces the operator-allowed domains with <paramref name="domains"/>; sign-in-verified ones stay.</summary>
    public async Task<Outcome<List<RecipientDomain>>> SetAsync(Guid partnerId, IReadOnlyList<string>? domains, string operatorName, CancellationToken ct)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, ct)) return UnknownPartner;
        var wanted = (domains ?? []).Select(RecipientDomain.Normalize).Where(d => d.Length > 0).Distinct().ToList();
        if (wanted.Count > MaxDomains) return Problem.Validation("domains", $"At most {MaxDomains} domains.");
        if (wanted.FirstOrDefault(d => !DomainName().IsMatch(d)) is { } bad)
            return Problem.Validation("domains", $"{InputText.Quote(bad)} is not a domain name such as contoso.com.");

        scope.Set(partnerId);
        var current = await db.Set<RecipientDomain>().ToListAsync(ct);
        db.RemoveRange(current.Where(d => d.Source == RecipientDomainSource.Operator && !wanted.Contains(d.Domain)));
        foreach (var domain in wanted.Where(w => current.All(c => c.Domain != w)))
            db.Add(RecipientDomain.Of(partnerId, domain, RecipientDomainSource.Operator, operatorName, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return await db.Set<RecipientDomain>().AsNoTracking().OrderBy(d => d.Domain).ToListAsync(ct);
    }

    private static Problem UnknownPartner => Problem.NotFound("unknown_partner", "There is no partner organisation with this id.");

    // Labels of letters, digits and inner hyphens, at least two labels, 253 characters at most.
    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainName();
}
