using DporReports.Core.Adoption;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Partners;
using DporReports.Core.Shared;
using DporReports.Core.Tenants;
using DporReports.Web.Customers;
using DporReports.Web.Languages;
using DporReports.Web.Pages.Shared;
using DporReports.Web.Shell;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.Customer;

/// <summary>
/// The customer's subscriptions and their partners of record. Every member of the tenant sees them; only the tenant's own
/// Global Administrator gets the forms (and the services refuse everyone else anyway). The tenant is always the signed-in
/// user's own: no handler takes a tenant id.
/// </summary>
public sealed class SubscriptionsModel(TenantConnections tenants, PartnerOfRecordQueries queries, PartnerOfRecordService service,
    PartnerRegistry registry, ConsentFlow consent, AdoptionQuery adoption, TimeProvider clock, IStringLocalizer<Texts> T) : PageModel
{
    public const string ChangedMeanwhile = "changed_meanwhile";

    // A fixed map from the callback's codes to sentences: the query string is only ever a key, never shown.
    private static readonly Dictionary<string, (bool Ok, string Text)> ConnectMessages = new(StringComparer.Ordinal)
    {
        ["connected"] = (true, "Your tenant is connected. DporReports is reading its subscriptions now; they appear below within a minute."),
        ["consent_declined"] = (false, "Consent was not granted, so the tenant is not connected. You can try again at any time."),
        ["consent_state_invalid"] = (false, "The consent answer did not match a request from this browser, or was already used. Start again with Connect this tenant."),
        ["consent_state_expired"] = (false, "The consent request expired. Start again with Connect this tenant."),
        ["consent_other_tenant"] = (false, "Consent was granted in another tenant than the one you are signed in to. Sign in to that tenant to connect it."),
        ["not_own_global_administrator"] = (false, "Only a Global Administrator who is a member of this tenant can connect it."),
    };

    public SignedInUser Me { get; private set; } = null!;
    public CustomerTenant? Tenant { get; private set; }
    public AdministratorDecision Administrator { get; private set; } = null!;
    public IReadOnlyList<SubscriptionRow> Subscriptions { get; private set; } = [];

    /// <summary>The tenant's adoption signals, the same figures its partners see (null when this user may not see usage).</summary>
    public AdoptionView? Adoption { get; private set; }

    /// <summary>Whether this user sees the tenant's usage (<see cref="TenantUsageReaderRule"/>), with the reason when not.</summary>
    public AdministratorDecision UsageReader { get; private set; } = null!;

    /// <summary>The callback's outcome, from <see cref="ConnectMessages"/>.</summary>
    public (bool Ok, string Text)? ConnectMessage { get; private set; }

    /// <summary>The row whose add/change panel is open after "Check ID", with what was typed and what the lookup said.</summary>
    public Guid? OpenPanel { get; private set; }
    public string? EnteredPartnerId { get; private set; }
    public PartnerLookup? Checked { get; private set; }
    public string? CheckError { get; private set; }

    [TempData] public string? Done { get; set; }
    [TempData] public string? Failure { get; set; }
    [TempData] public string? FailureCode { get; set; }

    public bool IsConnected => Tenant?.IsConnected == true;

    /// <summary>Only the tenant's own Global Administrator of a connected tenant gets forms.</summary>
    public bool CanChange => Administrator.Allowed && IsConnected;

    /// <summary>The organisation's name once the first inventory sync has read it; until then the tenant is named by its id.</summary>
    public string TenantName =>
        Tenant is { } t && !string.IsNullOrWhiteSpace(t.DisplayName) && !Guid.TryParse(t.DisplayName, out _) ? t.DisplayName : "Your organisation";

    /// <summary>
    /// The live region's status: busy while the connected tenant's first inventory is being read or an assignment awaits
    /// verification; its state changes with the inventory, the subscriptions and their partners of record.
    /// </summary>
    public LiveStatus Live => LiveStatus.Of(
        IsConnected && (Tenant?.LastInventorySyncAt is null || Subscriptions.Any(s => s.PartnerOfRecord?.State == AssignmentState.PendingVerification)),
        [Tenant?.ConsentStatus, Tenant?.LastInventorySyncAt, .. Subscriptions.Select(s => $"{s.Id}:{s.Status}:{s.PartnerOfRecord?.PartnerName}:{s.PartnerOfRecord?.State}")]);

    public async Task<JsonResult> OnGetStatusAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Live.ToJson();
    }

    public async Task OnGetAsync(string? connect, CancellationToken ct)
    {
        if (connect is not null && ConnectMessages.TryGetValue(connect, out var message)) ConnectMessage = (message.Ok, T[message.Text]);
        await LoadAsync(ct);
        UsageReader = TenantUsageReaderRule.Evaluate(Me);
        if (Tenant is not null && UsageReader.Allowed)
            Adoption = AdoptionView.Of(await adoption.TenantSignalsAsync(Me.TenantId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct));
    }

    public async Task<IActionResult> OnPostConnectAsync()
    {
        var outcome = await consent.StartAsync(HttpContext, CurrentUser());
        if (outcome.Problem is { } problem) return Back(failure: problem);
        return Redirect(outcome.Value!);
    }

    /// <summary>"Check ID": shows the partner's name (or why not) in that row's panel before anything is saved.</summary>
    public async Task<IActionResult> OnPostCheckAsync(Guid subscriptionId, string? partnerId, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanChange) return Back(failure: Problem.Forbidden("not_own_global_administrator", Administrator.Reason));
        if (Subscriptions.FirstOrDefault(s => s.Id == subscriptionId) is not { CanBeAssigned: true })
            return Back(failure: Problem.NotFound("unknown_subscription", "This subscription cannot get a partner of record. The table shows its current state."));

        OpenPanel = subscriptionId;
        EnteredPartnerId = partnerId?.Trim();
        var lookup = await registry.LookupAsync(CurrentUser(), partnerId, ct);
        if (lookup.Outcome == PartnerLookupOutcome.Found) Checked = lookup;
        else CheckError = T.Message(lookup.Message);
        return Page();
    }

    public async Task<IActionResult> OnPostAssignAsync(Guid subscriptionId, string? partnerId, Guid? version, bool alsoUnassigned,
        CancellationToken ct)
    {
        var user = CurrentUser();
        var outcome = await service.AssignAsync(user, subscriptionId, partnerId, version, ct);
        if (outcome.Problem is { } problem) return Back(failure: problem);

        var row = (await queries.SubscriptionsOfTenantAsync(user.TenantId, ct)).FirstOrDefault(s => s.Id == subscriptionId);
        var done = T["{0} is now the partner of record of {1}, pending verification.", row?.PartnerOfRecord?.PartnerName ?? T["The partner"],
            row?.ProductName ?? T["the subscription"]].Value;
        if (!alsoUnassigned) return Back(done);

        var bulk = await service.AssignUnassignedAsync(user, partnerId, ct);
        if (bulk.Problem is { } bulkProblem) return Back(done, bulkProblem);
        var count = bulk.Value!.Assigned.Count;
        return Back(done + " " + (count switch
        {
            0 => T["No other subscription needed a partner of record."],
            1 => T["{0} was also named for 1 other subscription without a partner of record.", bulk.Value.PartnerName],
            _ => T["{0} was also named for {1} other subscriptions without a partner of record.", bulk.Value.PartnerName, Language.Number(count)],
        }));
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid subscriptionId, Guid? version, CancellationToken ct)
    {
        var user = CurrentUser();
        var before = (await queries.SubscriptionsOfTenantAsync(user.TenantId, ct)).FirstOrDefault(s => s.Id == subscriptionId);
        var outcome = await service.RemoveAsync(user, subscriptionId, version, ct);
        if (outcome.Problem is { } problem) return Back(failure: problem);
        return Back(T["{0} is no longer the partner of record of {1}.", before?.PartnerOfRecord?.PartnerName ?? T["The partner"],
            before?.ProductName ?? T["the subscription"]]);
    }

    /// <summary>Post/redirect/get: the outcome travels in TempData, so a reload never repeats a change.</summary>
    private RedirectToPageResult Back(string? done = null, Problem? failure = null)
    {
        Done = done;
        Failure = failure is null ? null : T.Message(failure.Message);
        FailureCode = failure?.Code;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Me = CurrentUser();
        Administrator = GlobalAdministratorRule.Evaluate(Me, Me.TenantId);
        // Subscriptions before the tenant: the inventory sync commits both together, so a page that sees the subscriptions
        // also sees the organisation's name (read the other way round, a sync committing in between left it unnamed).
        Subscriptions = await queries.SubscriptionsOfTenantAsync(Me.TenantId, ct);
        Tenant = await tenants.FindAsync(Me.TenantId, ct);
        if (Tenant is null) Subscriptions = [];
    }

    public static string Utc(DateTimeOffset at) => Language.Utc(at);

    private SignedInUser CurrentUser() =>
        SignedInUser.From(User) ?? throw new InvalidOperationException("The Customer policy admits only signed-in users.");
}
