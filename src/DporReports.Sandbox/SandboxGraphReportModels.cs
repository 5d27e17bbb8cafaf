namespace DporReports.Sandbox;

/// <summary>Settings of the sandbox's usage reports.</summary>
/// <param name="BudgetEnabled">Whether the per-tenant, per-function request budget applies (off for benchmarks).</param>
/// <param name="BudgetLimit">Requests allowed per window per report function per tenant (Graph: 14).</param>
/// <param name="BudgetWindowSeconds">The sliding window (Graph: 10 minutes).</param>
/// <param name="DownloadLifetimeSeconds">How long a report's download URL works (Graph: a few minutes).</param>
public sealed record SandboxReportSettings(bool BudgetEnabled, int BudgetLimit, int BudgetWindowSeconds, int DownloadLifetimeSeconds);

/// <summary>A tenant's report knobs: how many users its reports list and whether their names are concealed.</summary>
public sealed record SandboxReportTenant(Guid TenantId, int Users, bool DisplayConcealedNames);

/// <summary>A fault applied to the next <paramref name="Count"/> matching report downloads.</summary>
/// <param name="TenantId">Only downloads of this tenant's reports; null for any tenant.</param>
/// <param name="Function">Only this report function (e.g. getOffice365ActiveUserDetail); null for any.</param>
/// <param name="Kind">
/// <c>expired</c> (403 with an "expired" XML body), <c>truncate</c> (cut mid-row after <paramref name="AfterRows"/> rows
/// or <paramref name="AfterBytes"/> bytes; default after 3 rows), <c>renameHeader</c>, <c>reorderHeader</c>,
/// <c>extraColumn</c>, <c>missingColumn</c>, <c>htmlError</c> (200 text/html error page), <c>slow</c>
/// (waits <paramref name="DelayMs"/> before answering), <c>cutConnection</c> (a Content-Length for the whole file, then
/// the connection closes after <paramref name="AfterBytes"/> bytes, default half the file) or <c>reset</c> (the same,
/// but the connection is reset, TCP RST, instead of closed).
/// </param>
/// <param name="Count">How many downloads still get the fault.</param>
/// <param name="AfterRows">For <c>truncate</c>: complete data rows before the cut.</param>
/// <param name="AfterBytes">For <c>truncate</c>, <c>cutConnection</c> and <c>reset</c>: bytes (BOM included) before the cut; wins over <paramref name="AfterRows"/>.</param>
/// <param name="Column">The column renamed or dropped; by default "Teams Last Activity Date" when the report has it, else its second column.</param>
/// <param name="NewName">The renamed column's new header (default: the name without " Date", or with " (Preview)").</param>
/// <param name="DelayMs">For <c>slow</c>: the delay, 1..300000.</param>
public sealed record SandboxReportDownloadFault(
    Guid? TenantId,
    string? Function,
    string Kind,
    int Count = 1,
    int? AfterRows = null,
    long? AfterBytes = null,
    string? Column = null,
    string? NewName = null,
    int? DelayMs = null);

/// <summary>The synthetic customer tenants (ids are deterministic from the seed; consent is granted for each).</summary>
public sealed record SandboxSyntheticTenants(int Count, int MedianUsers, int Seed, IReadOnlyList<Guid> TenantIds);
