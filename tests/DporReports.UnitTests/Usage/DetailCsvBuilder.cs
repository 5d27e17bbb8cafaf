using System.Globalization;
using System.Text;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;

namespace DporReports.UnitTests.Usage;

/// <summary>
/// Builds getOffice365ActiveUserDetail files in Graph's documented column order (BOM, CRLF, quotes where needed):
/// <c>new DetailCsvBuilder().User("OFFICE 365 E3", u => u.Active(Workload.Exchange, daysAgo: 3)).Build()</c>.
/// </summary>
internal sealed class DetailCsvBuilder
{
    public static readonly DateOnly Refresh = new(2026, 11, 20);

    public static readonly string[] DocumentedHeader =
    [
        "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date", "Has Exchange License",
        "Has OneDrive License", "Has SharePoint License", "Has Skype For Business License", "Has Yammer License", "Has Teams License",
        "Exchange Last Activity Date", "OneDrive Last Activity Date", "SharePoint Last Activity Date",
        "Skype For Business Last Activity Date", "Yammer Last Activity Date", "Teams Last Activity Date", "Exchange License Assign Date",
        "OneDrive License Assign Date", "SharePoint License Assign Date", "Skype For Business License Assign Date",
        "Yammer License Assign Date", "Teams License Assign Date", "Assigned Products",
    ];

    private readonly List<UserRow> _users = [];
    private string[] _header = DocumentedHeader;

    public DetailCsvBuilder User(string assignedProducts, Action<UserRow>? configure = null)
    {
        var user = new UserRow(assignedProducts, $"user{_users.Count}@contoso.example");
        configure?.Invoke(user);
        _users.Add(user);
        return this;
    }

    /// <summary>Writes the columns in this order instead (names not listed are left out; unknown names are extra, empty columns).</summary>
    public DetailCsvBuilder Columns(params string[] header)
    {
        _header = header;
        return this;
    }

    public string BuildText()
    {
        var text = new StringBuilder();
        text.Append(string.Join(",", _header.Select(Quote))).Append("\r\n");
        foreach (var user in _users)
        {
            text.Append(string.Join(",", _header.Select(column => Quote(user.Value(column))))).Append("\r\n");
        }

        return text.ToString();
    }

    public Stream Build() => CsvText.Stream(BuildText(), bom: true);

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    internal sealed class UserRow(string assignedProducts, string userPrincipalName)
    {
        private readonly Dictionary<Workload, (bool Licensed, DateOnly? LastActivity)> _workloads = [];
        private bool _deleted;
        private string _userPrincipalName = userPrincipalName;
        private string? _refreshDate;

        public UserRow Licensed(Workload workload, DateOnly? lastActivity = null)
        {
            _workloads[workload] = (true, lastActivity);
            return this;
        }

        public UserRow Active(Workload workload, int daysAgo) => Licensed(workload, Refresh.AddDays(-daysAgo));

        /// <summary>Activity recorded although the user holds no licence for the workload (it must not count).</summary>
        public UserRow UnlicensedActivity(Workload workload, int daysAgo)
        {
            _workloads[workload] = (false, Refresh.AddDays(-daysAgo));
            return this;
        }

        public UserRow Deleted()
        {
            _deleted = true;
            return this;
        }

        public UserRow Named(string userPrincipalName)
        {
            _userPrincipalName = userPrincipalName;
            return this;
        }

        public UserRow RefreshDate(string value)
        {
            _refreshDate = value;
            return this;
        }

        public string Value(string column) => column switch
        {
            "Report Refresh Date" => _refreshDate ?? Date(Refresh),
            "User Principal Name" => _userPrincipalName,
            "Display Name" => "Doe, Jane \"JD\"",
            "Is Deleted" => _deleted ? "True" : "False",
            "Deleted Date" => _deleted ? Date(Refresh.AddDays(-2)) : "",
            "Assigned Products" => assignedProducts,
            "Has OneDrive License" => "True",
            "OneDrive Last Activity Date" => Date(Refresh.AddDays(-1)),
            _ when column.StartsWith("Has ", StringComparison.Ordinal) =>
                Of(column["Has ".Length..^" License".Length]) is { } w && _workloads.TryGetValue(w, out var v) && v.Licensed ? "True" : "False",
            _ when column.EndsWith(" Last Activity Date", StringComparison.Ordinal) =>
                Of(column[..^" Last Activity Date".Length]) is { } w && _workloads.TryGetValue(w, out var v) ? Date(v.LastActivity) : "",
            _ when column.EndsWith(" License Assign Date", StringComparison.Ordinal) => Date(Refresh.AddDays(-400)),
            _ => "",
        };

        private static Workload? Of(string name) => name switch
        {
            "Exchange" => Workload.Exchange,
            "SharePoint" => Workload.SharePoint,
            "Teams" => Workload.Teams,
            "Yammer" => Workload.Yammer,
            "Skype For Business" => Workload.SkypeForBusiness,
            _ => null,
        };

        private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
    }
}

/// <summary>Tenant subscriptions for the aggregation, with readable, ordered ids (…0001, …0002, …).</summary>
internal static class Subscriptions
{
    public static readonly Workload[] OfficeSuite = [Workload.Exchange, Workload.SharePoint, Workload.Teams, Workload.Yammer, Workload.SkypeForBusiness];

    public static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    /// <summary>A subscription carrying <paramref name="workloads"/>, or all five (an Office suite) when null.</summary>
    public static TenantSubscription Of(int n, string skuPartNumber, int seats, bool active = true, Workload[]? workloads = null) =>
        new(Id(n), skuPartNumber, seats, active, (workloads ?? OfficeSuite).ToHashSet());

    public static async Task<ActiveUserSnapshot> AggregateAsync(DetailCsvBuilder csv, params TenantSubscription[] subscriptions) =>
        await ActiveUserDetailAggregator.AggregateAsync(csv.Build(), subscriptions, CancellationToken.None);

    public static SubscriptionWorkloadUsage For(this ActiveUserSnapshot snapshot, int n, Workload workload) =>
        snapshot.Subscriptions.Single(s => s.SubscriptionId == Id(n) && s.Workload == workload);
}
