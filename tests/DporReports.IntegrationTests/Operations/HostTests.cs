using System.Net;
using System.Text.Json;
using DporReports.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Operations;

[Collection(IntegrationCollection.Name)]
public sealed class HostTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task HealthLive_Anonymous_Returns200()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HealthReady_DatabaseAndHangfireReachable_ReportsEachCheckHealthy()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("hangfire-storage").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheJsonApi()
    {
        using var client = _app.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/partners/lookup", paths);
        Assert.Contains("/api/partner/registration", paths);
        Assert.Contains("/api/ops/partners/{id}/approve", paths);
        Assert.Contains("/api/customer/subscriptions", paths);
        Assert.Contains("/api/customer/subscriptions/{id}/partner-of-record", paths);
        Assert.Contains("/api/customer/partner-of-record/assign-unassigned", paths);
        Assert.Contains("/api/customer/partner-of-record/history", paths);
        Assert.Contains("/api/partner/customers", paths);
    }

    [Fact]
    public async Task Migrations_AppliedAtStart_AndModelHasNoPendingChanges()
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration: run dotnet ef migrations add");
    }

    [Fact]
    public async Task JobDashboard_Anonymous_RedirectsToSignIn()
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/ops/jobs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(sandbox.Server.HttpBaseUrl.ToString(), response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The dashboard shows every tenant's job arguments and errors: a partner or customer must never see it.</summary>
    [Theory]
    [InlineData("adatum-admin")]
    [InlineData("contoso-admin")]
    [InlineData("service-user")]
    public async Task JobDashboard_SignedInNonOperator_IsDenied(string persona)
    {
        using var browser = await _app.SignInAsync(persona);

        using var response = await browser.GetAsync("/ops/jobs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobDashboard_Operator_Opens()
    {
        using var browser = await _app.SignInAsync("operator");

        using var response = await browser.GetAsync("/ops/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("DporReports jobs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
