using DporReports.Core.Jobs;
using Hangfire;

namespace DporReports.Core.Assignments;

/// <summary>Verifies, rejects, suspends or resumes the current assignments of one tenant. Re-entrant: a re-run finds nothing to change.</summary>
[Queue(JobQueues.Default)]
[AutomaticRetry(Attempts = 5)]
public sealed class VerifyAssignmentJob(AssignmentVerifier verifier)
{
    [DisableConcurrentExecution("verify:{0}", 300)]
    public Task RunAsync(Guid tenantId, CancellationToken ct) => verifier.VerifyTenantAsync(tenantId, ct);
}
