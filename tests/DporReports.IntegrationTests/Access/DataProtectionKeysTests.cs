using System.Net;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Access;

/// <summary>
/// Data-protection keys live in the database, so what one web host protected (sign-in cookies, the consent state
/// cookie) another host on the same database — or the same host after a restart — can read. With keys kept per process,
/// every restart or load-balancer hop would sign everyone out and break consent callbacks in flight.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DataProtectionKeysTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Payload_ProtectedByOneHost_IsReadByAnotherHostOnTheSameDatabase()
    {
        using var first = new DporWebFactory(sandbox);
        var sealedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");
        await using (var scope = first.Scope())
            Assert.NotEmpty(await DporWebFactory.Db(scope).DataProtectionKeys.AsNoTracking().ToListAsync());

        using var second = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["Database:Provider"] = first.Database.Provider,
            ["Database:ConnectionString"] = first.Database.ConnectionString,
        });
        var protector = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        Assert.Equal("hello", protector.Unprotect(sealedText));
    }

    /// <summary>
    /// A real sign-in cookie (OpenID Connect through the sandbox) issued by one web host opens pages on another host of
    /// the same database — a restart or a load balancer's next pick — and means nothing to a host of another database.
    /// </summary>
    [Fact]
    public async Task SignInCookie_IssuedByOneHost_IsAcceptedByAnotherHostOnTheSameDatabaseOnly()
    {
        using var first = new DporWebFactory(sandbox);
        using var second = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["Database:Provider"] = first.Database.Provider,
            ["Database:ConnectionString"] = first.Database.ConnectionString,
        });
        using var elsewhere = new DporWebFactory(sandbox);
        var cookies = new CookieContainer();
        var site = new Uri("https://localhost");
        using var browserOnFirst = first.CreateDefaultClient(site, new CookieContainerHandler(cookies));
        await first.SignInAsync(browserOnFirst, "contoso-admin", "/customer");

        using var browserOnSecond = second.CreateDefaultClient(site, new CookieContainerHandler(cookies));
        using var accepted = await browserOnSecond.GetAsync("/customer");
        using var browserElsewhere = elsewhere.CreateDefaultClient(site, new CookieContainerHandler(cookies));
        using var refused = await browserElsewhere.GetAsync("/customer");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains(SandboxDirectory.Persona("contoso-admin").DisplayName, await accepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(sandbox.Server.HttpBaseUrl.Authority, refused.Headers.Location?.Authority);
    }

    [Fact]
    public void Payload_ProtectedByAHostOnAnotherDatabase_IsRefused()
    {
        using var first = new DporWebFactory(sandbox);
        using var other = new DporWebFactory(sandbox);
        var sealedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
    }
}
