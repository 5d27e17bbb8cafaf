namespace DporReports.Core.Subscriptions;

/// <summary>The five workloads partners see usage of (design.md §1).</summary>
public enum Workload
{
    Exchange,
    SharePoint,
    Teams,

    /// <summary>Viva Engage; Graph's usage reports still call it Yammer.</summary>
    Yammer,
    SkypeForBusiness,
}
