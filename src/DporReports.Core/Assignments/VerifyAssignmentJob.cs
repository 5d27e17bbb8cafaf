using DporReports.Core.Jobs;
using DporReports.Core.Usage;
using Hangfire;

namespace DporReports.Core.Assignments;

/// <summary>
/// Verifies, rejects, suspends or resumes the current assignments of one tenant. Re-entrant: a re-run finds nothing to
/// change. When an assignment becomes verified the tenant's usage is pulled at once, so its partner does not wait for
/// the tenant's daily slot.
/// </summary>
[Queue(JobQueues.Default)]
[AutomaticRetry(Attempts = 5)]
public sealed class VerifyAssignmentJob(AssignmentVerifier verifier, IBackgroundJobClient jobs)
{
    [DisableConcurrentExecution("verify:{0}", 300)]
    public async Task RunAsync(Guid tenantId, CancellationToken ct)
    {
        if (await verifier.VerifyTenantAsync(tenantId, ct) > 0)
            jobs.Enqueue<PullTenantUsageJob>(j => j.RunAsync(tenantId, CancellationToken.None));
    }
}
