using DporReports.Core.Reports.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DporReports.UnitTests.Reports;

/// <summary>The catalog is loaded when the host starts, so a broken definition stops start-up with its problems listed.</summary>
public sealed class ReportsCatalogModuleTests
{
    [Fact]
    public async Task AddReportCatalog_ShippedDefinitions_HostStartsWithTheCatalog()
    {
        using var host = new HostBuilder().ConfigureServices(s => s.AddReportCatalog()).Build();

        await host.StartAsync(CancellationToken.None);

        Assert.NotNull(host.Services.GetRequiredService<ReportCatalog>().Find(ReportDatasets.ConsumptionSummary));
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AddReportCatalog_BrokenDefinition_HostStartFailsListingTheProblems()
    {
        var broken = DefinitionJson.With(r =>
        {
            r["dataset"] = "usage";
            DefinitionJson.Column(r, 0).Remove("width");
        });
        using var host = new HostBuilder().ConfigureServices(s => s
            .AddSingleton(_ => ReportCatalog.Load([new ReportFile("trend.json", broken)]))
            .AddReportCatalog()).Build();

        var exception = await Assert.ThrowsAsync<ReportCatalogException>(() => host.StartAsync(CancellationToken.None));

        Assert.Equal(2, exception.Problems.Count);
        Assert.Contains("trend.json $.dataset: 'usage' is not a dataset", exception.Message, StringComparison.Ordinal);
        Assert.Contains("trend.json $.sheets[0].columns[0]: 'width' is required", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddReportCatalog_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection().AddReportCatalog().AddReportCatalog();

        Assert.Single(services, s => s.ServiceType == typeof(ReportCatalog));
        Assert.Single(services, s => s.ServiceType == typeof(IHostedService));
    }
}
