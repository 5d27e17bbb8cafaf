using DporReports.Core.Identity;

namespace DporReports.Core.Tenants;

public enum ConsentStatus
{
    NotConnected = 0,
    Connected = 1,
    ConsentRevoked = 2,
}

/// <summary>
/// A customer's Entra tenant (its id is the Entra tenant id). It becomes Connected when its Global Administrator grants
/// the service admin consent; then jobs keep its inventory. Graph answering 401/403 marks the consent revoked and stops them.
/// </summary>
public sealed class CustomerTenant
{
    private CustomerTenant() { }

    public Guid Id { get; private set; }
    public string DisplayName { get; private set; } = "";
    public ConsentStatus ConsentStatus { get; private set; }
    public DateTimeOffset? ConnectedAt { get; private set; }
    public string? ConnectedByName { get; private set; }
    public Guid? ConnectedByObjectId { get; private set; }
    public DateTimeOffset? ConsentRevokedAt { get; private set; }
    public string? ConsentRevokedReason { get; private set; }
    public DateTimeOffset? LastInventorySyncAt { get; private set; }

    /// <summary>
    /// The language of mails to this customer ("es" or "en"): the one its Global Administrator read when last connecting the
    /// tenant or saving a partner of record, so the customer hears in the language its admin uses.
    /// </summary>
    public string NotificationLanguage { get; private set; } = Languages.Language.English;

    public bool IsConnected => ConsentStatus == ConsentStatus.Connected;

    public static CustomerTenant Create(Guid id, string displayName) =>
        new() { Id = id, DisplayName = displayName, ConsentStatus = ConsentStatus.NotConnected };

    public void Connect(Actor by, string language, DateTimeOffset now)
    {
        AdministratorReads(language);
        ConsentStatus = ConsentStatus.Connected;
        ConnectedAt = now;
        ConnectedByName = by.DisplayName;
        ConnectedByObjectId = by.ObjectId;
        ConsentRevokedAt = null;
        ConsentRevokedReason = null;
    }

    public void RevokeConsent(string reason, DateTimeOffset now)
    {
        ConsentStatus = ConsentStatus.ConsentRevoked;
        ConsentRevokedAt = now;
        ConsentRevokedReason = reason;
    }

    public void Rename(string displayName)
    {
        if (!string.IsNullOrWhiteSpace(displayName)) DisplayName = displayName;
    }

    public void InventorySynced(DateTimeOffset now) => LastInventorySyncAt = now;

    /// <summary>Records the language the Global Administrator reads (the request's) for the customer's mails.</summary>
    public void AdministratorReads(string language)
    {
        if (Languages.Language.IsSupported(language)) NotificationLanguage = language;
    }
}

public enum SyncOutcome
{
    Running = 0,
    Succeeded = 1,
    Failed = 2,
    ConsentRevoked = 3,
}

/// <summary>One inventory pull of one tenant: what Graph returned and what changed.</summary>
public sealed class InventorySyncRun
{
    private InventorySyncRun() { }

    public long Id { get; private set; }
    public Guid TenantId { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public SyncOutcome Outcome { get; private set; }
    public int SubscriptionsRead { get; private set; }
    public int Added { get; private set; }
    public int Changed { get; private set; }
    public int Disappeared { get; private set; }
    public string? Error { get; private set; }

    public static InventorySyncRun Start(Guid tenantId, DateTimeOffset now) =>
        new() { TenantId = tenantId, StartedAt = now, Outcome = SyncOutcome.Running };

    public void Succeed(int read, int added, int changed, int disappeared, DateTimeOffset now)
    {
        (SubscriptionsRead, Added, Changed, Disappeared) = (read, added, changed, disappeared);
        Outcome = SyncOutcome.Succeeded;
        FinishedAt = now;
    }

    public void Fail(SyncOutcome outcome, string error, DateTimeOffset now)
    {
        Outcome = outcome;
        Error = error.Length > 2000 ? error[..2000] : error;
        FinishedAt = now;
    }
}
