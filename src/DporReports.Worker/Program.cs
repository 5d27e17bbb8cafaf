using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Graph;
using DporReports.Core.Identity;
using DporReports.Core.Jobs;
using DporReports.Core.Notifications;
using DporReports.Core.Observability;
using DporReports.Core.Partners;
using DporReports.Core.Reports;
using DporReports.Core.Usage;

// The Hangfire server alone, for scale-out: the same feature registrations as the web host, no pages, no sign-in.
// `--prepare-jobs-schema` installs or upgrades Hangfire's schema in the jobs database and exits (a deployment step).
var builder = Host.CreateApplicationBuilder(args.Where(a => a != JobsModule.PrepareSchemaSwitch).ToArray());
if (args.Contains(JobsModule.PrepareSchemaSwitch, StringComparer.Ordinal))
    return JobsModule.PrepareJobsSchema(builder.Configuration, Console.Out, Console.Error);

builder.Services.AddAppTokens(builder.Configuration, builder.Environment);
builder.Services.AddData(builder.Configuration);
builder.Services.AddPartners();
builder.Services.AddGraph();
builder.Services.AddAssignments();
builder.Services.AddNotifications();
builder.Services.AddUsage();
builder.Services.AddReports();
builder.Services.AddJobs(builder.Configuration);
builder.Services.AddObservability(builder.Configuration);

await builder.Build().RunAsync();
return 0;
