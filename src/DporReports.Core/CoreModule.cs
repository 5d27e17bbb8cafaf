using DporReports.Core.Adoption;
using DporReports.Core.Adoption.Alerts;
using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Graph;
using DporReports.Core.Jobs;
using DporReports.Core.Notifications;
using DporReports.Core.Observability;
using DporReports.Core.Partners;
using DporReports.Core.Reports;
using DporReports.Core.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core;

public static class CoreModule
{
    /// <summary>
    /// The features, as every host registers them: the web host and the worker run the same jobs, so they share one list
    /// and cannot drift apart (a feature missing in the worker would fail only when its job first ran there).
    /// </summary>
    public static IServiceCollection AddFeatures(this IServiceCollection services, IConfiguration configuration) => services
        .AddObservability(configuration)
        // Texts in the reader's language (the request's UI culture; English in jobs, which have no reader).
        .AddLocalization()
        .AddData(configuration)
        .AddPartners()
        .AddGraph()
        .AddAssignments()
        .AddNotifications()
        .AddUsage()
        .AddReports()
        .AddAdoption()
        .AddAlerts()
        .AddJobs(configuration);
}
