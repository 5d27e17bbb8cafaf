namespace DporReports.Core.Tenancy;

/// <summary>
/// The partner organisation whose data this unit of work (request or job) may touch. Set once, from the signed-in
/// token's tenant or a job's argument; reading it unset throws, so a forgotten scope is an exception, never another
/// partner's rows. Every <see cref="IPartnerOwned"/> table is filtered by it in the DbContext.
/// </summary>
public sealed class PartnerScope
{
    private Guid? _partnerId;

    public bool IsSet => _partnerId is not null;

    public Guid PartnerId => _partnerId ?? throw new InvalidOperationException(
        "No partner scope is set for this unit of work: partner-owned data cannot be read or written.");

    public void Set(Guid partnerId)
    {
        if (partnerId == Guid.Empty) throw new ArgumentException("A partner scope needs a partner id.", nameof(partnerId));
        if (_partnerId is { } current && current != partnerId)
            throw new InvalidOperationException("The partner scope cannot change within a unit of work.");
        _partnerId = partnerId;
    }
}

/// <summary>A row that belongs to one partner organisation: the DbContext filters it by <see cref="PartnerScope"/>.</summary>
public interface IPartnerOwned
{
    Guid PartnerId { get; }
}
