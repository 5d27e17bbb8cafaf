using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Core.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DporReports.Web.Pages.Ops;

/// <summary>The operators' approval queue: approve, reject, suspend and reinstate partner organisations.</summary>
public sealed class PartnersModel(PartnerRegistry registry) : PageModel
{
    public IReadOnlyList<Core.Partners.Partner> Partners { get; private set; } = [];
    public PartnerStatus? Filter { get; private set; }
    public Problem? Error { get; private set; }
    public string? Done { get; private set; }

    public async Task OnGetAsync(PartnerStatus? status, CancellationToken ct)
    {
        Filter = status;
        Partners = await registry.ListAsync(status, ct);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string decision, string? reason, Guid? version, CancellationToken ct)
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
        Error = outcome.Problem;
        Done = outcome.Value is { } partner ? $"{partner.DisplayName} is now {partner.Status}." : null;
        Partners = await registry.ListAsync(null, ct);
        return Page();
    }
}
