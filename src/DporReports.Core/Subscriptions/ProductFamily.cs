namespace DporReports.Core.Subscriptions;

/// <summary>The cloud services a customer can name a partner of record for (design.md §1).</summary>
public enum ProductFamily
{
    /// <summary>Office 365 / Microsoft 365.</summary>
    Office365,

    /// <summary>Dynamics 365 / CRM Online.</summary>
    Dynamics365,
    Ax7,
    Intune,
    Ems,
    PowerBi,
    Other,
}
