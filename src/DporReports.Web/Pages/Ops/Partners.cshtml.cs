using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Partners;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Shared;
using DporReports.Web.Languages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.Ops;

/// <summary>
/// The operators' approval queue: approve, reject, suspend and reinstate partner organisations. Every decision redirects
/// back (post/redirect/get) to the list the operator was looking at, so a reload never repeats it.
/// </summary>
public sealed class PartnersModel(PartnerRegistry registry, IServiceScopeFactory scopes, IStringLocalizer<Texts> T) : PageModel
{
    /// <summary>Per approved partner, the domains its report schedules may mail to (its own verified ones and those allowed here).</summary>
    public IReadOnlyDictionary<Guid, List<RecipientDomain>> Domains { get; private set; } = new Dictionary<Guid, List<RecipientDomain>>();

    public IReadOnlyList<Core.Partners.Partner> Partners { get; private set; } = [];
    public PartnerStatus? Filter { get; private set; }
    [TempData] public string? Error { get; set; }
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(PartnerStatus? status, CancellationToken ct)
    {
        Filter = status;
        Partners = await registry.ListAsync(status, ct);
        await LoadDomainsAsync(ct);
    }

    public async Task<IActionResult> OnPostDomainsAsync(Guid id, string? domains, PartnerStatus? status, CancellationToken ct)
    {
        // Its own unit of work: the partner scope it sets is for that partner alone.
        await using (var unit = scopes.CreateAsyncScope())
        {
            var outcome = await unit.ServiceProvider.GetRequiredService<OperatorRecipientDomains>().SetAsync(id,
                (domains ?? "").Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries), SignedInUser.Require(User).DisplayName, ct);
            Error = outcome.Problem is { } problem ? T.Message(problem.Message) : null;
            Done = outcome.Value is { } list ? T["Report schedules of this partner may now mail: {0}.", string.Join(", ", list.Select(d => d.Domain))].Value : null;
        }
        return RedirectToPage(new { status });
    }

    private async Task LoadDomainsAsync(CancellationToken ct)
    {
        var domains = new Dictionary<Guid, List<RecipientDomain>>();
        foreach (var partner in Partners.Where(p => p.Status == PartnerStatus.Approved))
        {
            await using var unit = scopes.CreateAsyncScope();
            domains[partner.Id] = (await unit.ServiceProvider.GetRequiredService<OperatorRecipientDomains>().ListAsync(partner.Id, ct)).Value ?? [];
        }
        Domains = domains;
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string decision, string? reason, Guid? version, PartnerStatus? status, CancellationToken ct)
    {
        var actor = SignedInUser.Require(User).ToActor();
        var outcome = decision switch
        {
            "approve" => await registry.ApproveAsync(id, actor, version, ct),
            "reject" => await registry.RejectAsync(id, actor, reason, version, ct),
            "suspend" => await registry.SuspendAsync(id, actor, reason, version, ct),
            "reinstate" => await registry.ReinstateAsync(id, actor, version, ct),
            _ => Problem.Validation("decision", "Choose approve, reject, suspend or reinstate."),
        };
        Error = outcome.Problem is { } problem ? T.Message(problem.Message) : null;
        Done = outcome.Value is { } partner ? T["{0} is now {1}.", partner.DisplayName, T[partner.Status.ToString()]].Value : null;
        return RedirectToPage(new { status });
    }
}
