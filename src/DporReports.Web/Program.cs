using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Graph;
using DporReports.Core.Jobs;
using DporReports.Core.Notifications;
using DporReports.Core.Observability;
using DporReports.Core.Partners;
using DporReports.Core.Reports;
using DporReports.Core.Usage;
using DporReports.Web.Access;
using DporReports.Web.Customers;
using DporReports.Web.Operations;
using DporReports.Web.Partners;
using DporReports.Web.Sandbox;

var builder = WebApplication.CreateBuilder(args);

builder.AddEmbeddedSandbox();
builder.AddSignIn();
builder.AddWebHost();
builder.Services.AddObservability(builder.Configuration);
builder.Services.AddData(builder.Configuration);
builder.Services.AddDemoData();
builder.Services.AddPartners();
builder.Services.AddGraph();
builder.Services.AddAssignments();
builder.Services.AddNotifications();
builder.Services.AddUsage();
builder.Services.AddReports();
builder.Services.AddCustomerPages();
builder.Services.AddJobs(builder.Configuration);

var app = builder.Build();
app.Services.ScheduleRecurringJobs();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();

app.MapOperations();
app.MapAccountEndpoints();
app.MapConsentEndpoints();
app.MapGroup("/api").RequireAuthorization(SignInModule.ApiPolicy)
    .MapPartnersApi()
    .MapCustomerApi()
    .MapPartnerCustomersApi()
    .MapPartnerUsageApi()
    .MapPartnerReportsApi()
    .MapPartnerSchedulesApi()
    .MapIngestionApi();
app.MapRazorPages();

app.Run();

/// <summary>Entry point; public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
