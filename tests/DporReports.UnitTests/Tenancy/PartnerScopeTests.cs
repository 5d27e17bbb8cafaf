using DporReports.Core.Tenancy;

namespace DporReports.UnitTests.Tenancy;

public sealed class PartnerScopeTests
{
    [Fact]
    public void PartnerId_Unset_Throws()
    {
        var scope = new PartnerScope();

        Assert.False(scope.IsSet);
        Assert.Throws<InvalidOperationException>(() => scope.PartnerId);
    }

    [Fact]
    public void Set_SameIdTwice_KeepsIt_AnotherId_Throws()
    {
        var scope = new PartnerScope();
        var id = Guid.NewGuid();
        scope.Set(id);
        scope.Set(id);

        Assert.Equal(id, scope.PartnerId);
        Assert.Throws<InvalidOperationException>(() => scope.Set(Guid.NewGuid()));
        Assert.Equal(id, scope.PartnerId);
    }

    [Fact]
    public void Set_EmptyId_Throws() => Assert.Throws<ArgumentException>(() => new PartnerScope().Set(Guid.Empty));
}
