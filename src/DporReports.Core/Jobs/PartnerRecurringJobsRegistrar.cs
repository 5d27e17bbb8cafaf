using DporReports.Core.Data;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Jobs;

/// <summary>
/// At start, makes Hangfire's per-partner recurring jobs under one id prefix match the stored rows: in-memory storage starts
/// empty, and a server storage may hold the job of a row deleted or switched off while Hangfire was unreachable. Reads each
/// partner's rows in that partner's scope, so through the same filter as everything else; removes the prefix's other jobs.
/// </summary>
internal abstract class PartnerRecurringJobsRegistrar(IServiceScopeFactory scopes, IRecurringJobManager recurring, JobStorage storage, ILogger log)
    : IHostedService
{
    /// <summary>The ids of this registrar's jobs start with it; a job under it that no partner registers is stale.</summary>
    protected abstract string JobIdPrefix { get; }

    /// <summary>Registers the jobs of the partner in scope (its enabled rows, read through <paramref name="db"/>); returns their ids.</summary>
    protected abstract Task<IReadOnlyList<string>> RegisterPartnerAsync(DporDbContext db, IRecurringJobManager jobs, CancellationToken ct);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        await scopes.ForEachPartnerAsync(async (unit, _) =>
        {
            wanted.UnionWith(await RegisterPartnerAsync(unit.GetRequiredService<DporDbContext>(), recurring, cancellationToken));
            return true;
        }, cancellationToken);

        var stale = recurring.RemoveStale(storage, JobIdPrefix, wanted);
        if (wanted.Count + stale > 0)
            log.LogInformation("Recurring jobs {Prefix}*: {Registered} registered, {Removed} stale removed", JobIdPrefix, wanted.Count, stale);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
