namespace DporReports.Web.Shell;

/// <summary>The application shell around every page: navigation by role, current place, breadcrumbs.</summary>
public static class ShellModule
{
    public static IServiceCollection AddShell(this IServiceCollection services) => services.AddScoped<Navigation>();
}
