using DporReports.IntegrationTests.Infrastructure;
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
