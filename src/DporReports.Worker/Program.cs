using DporReports.Core;
using DporReports.Core.Identity;
using DporReports.Core.Jobs;

// The Hangfire server alone, for scale-out: the same feature registrations as the web host, no pages, no sign-in.
// `--prepare-jobs-schema` installs or upgrades Hangfire's schema in the jobs database and exits (a deployment step).
var builder = Host.CreateApplicationBuilder(args.Where(a => a != JobsModule.PrepareSchemaSwitch).ToArray());
if (args.Contains(JobsModule.PrepareSchemaSwitch, StringComparer.Ordinal))
    return JobsModule.PrepareJobsSchema(builder.Configuration, Console.Out, Console.Error);

builder.Services.AddAppTokens(builder.Configuration, builder.Environment);
builder.Services.AddFeatures(builder.Configuration);

await builder.Build().RunAsync();
return 0;
