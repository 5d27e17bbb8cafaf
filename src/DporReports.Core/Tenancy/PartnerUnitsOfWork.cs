using DporReports.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Tenancy;

/// <summary>
/// Units of work scoped to one partner, for code that runs outside a request (hosted services, jobs, background writes):
/// the scope is set before the caller gets the services, so nothing resolved there can read another partner's rows.
/// </summary>
public static class PartnerUnitsOfWork
{
    /// <summary>A new unit of work (DI scope) whose <see cref="PartnerScope"/> is <paramref name="partnerId"/>.</summary>
    public static AsyncServiceScope CreatePartnerScope(this IServiceScopeFactory scopes, Guid partnerId)
    {
        var unit = scopes.CreateAsyncScope();
        unit.ServiceProvider.GetRequiredService<PartnerScope>().Set(partnerId);
        return unit;
    }

    /// <summary>
    /// Calls <paramref name="each"/> for every partner (by id), each in a unit of work of its own scoped to that partner,
    /// until it answers false.
    /// </summary>
    public static async Task ForEachPartnerAsync(this IServiceScopeFactory scopes, Func<IServiceProvider, Guid, Task<bool>> each, CancellationToken ct)
    {
        List<Guid> partnerIds;
        // Partners are not partner-owned rows: listing them needs no scope.
        await using (var root = scopes.CreateAsyncScope())
            partnerIds = await root.ServiceProvider.GetRequiredService<DporDbContext>().Partners.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id)
                .ToListAsync(ct);
        foreach (var partnerId in partnerIds)
        {
            await using var unit = scopes.CreatePartnerScope(partnerId);
            if (!await each(unit.ServiceProvider, partnerId)) return;
        }
    }
}
