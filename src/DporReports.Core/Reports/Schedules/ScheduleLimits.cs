using DporReports.Core.Shared;

namespace DporReports.Core.Reports.Schedules;

/// <summary>The lengths of a schedule's stored text, shared by its columns and by the checks of what a partner sends.</summary>
public static class ScheduleLimits
{
    public const int Name = 100;
    public const int TimeZone = 64;
    public const int Cron = 100;

    /// <summary>Comma-separated recipients: 20 ordinary addresses fit many times over.</summary>
    public const int Recipients = 4000;

    /// <summary>Comma-separated tenant ids (36 characters and a comma each) of a schedule or a workbook.</summary>
    public const int Scope = 8000;

    /// <summary>The most customers one schedule or workbook names; more is "all customers" (no list).</summary>
    public const int ScopeTenants = Scope / 37;

    public const int Address = TextLimits.EmailAddress;
}
