using DporReports.Core;
using DporReports.Core.Jobs;
using DporReports.Core.Reports;
using DporReports.Web.Access;
using DporReports.Web.Customers;
using DporReports.Web.Languages;
using DporReports.Web.Operations;
using DporReports.Web.Partners;
using DporReports.Web.Sandbox;
using DporReports.Web.Shell;

var builder = WebApplication.CreateBuilder(args);

builder.AddEmbeddedSandbox();
builder.AddSignIn();
builder.AddWebHost();
builder.Services.AddFeatures(builder.Configuration);
builder.Services.AddPortfolioStartupWarming();
builder.Services.AddDemoData();
builder.Services.AddCustomerPages();
builder.Services.AddShell();
builder.Services.AddLanguages();

var app = builder.Build();
app.Services.ScheduleRecurringJobs();

app.UseSecurityHeaders(OperationsModule.DashboardPath);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiBodyLimit();
app.UseStaticFiles();
app.UseLanguages();
app.UseAuthentication();
app.UseAuthorization();

app.MapOperations();
app.MapAccountEndpoints();
app.MapConsentEndpoints();
app.MapLanguagePicker();
app.MapGroup("/api").RequireAuthorization(SignInModule.ApiPolicy).WithApiConventions()
    .MapPartnersApi()
    .MapCustomerApi()
    .MapPartnerCustomersApi()
    .MapPartnerUsageApi()
    .MapPartnerReportsApi()
    .MapPartnerSchedulesApi()
    .MapPartnerAlertsApi()
    .MapIngestionApi();
app.MapRazorPages();

app.Run();

/// <summary>Entry point; public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
