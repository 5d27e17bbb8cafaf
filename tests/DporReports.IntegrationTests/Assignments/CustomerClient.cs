using System.Net.Http.Json;
using System.Text.Json;

namespace DporReports.IntegrationTests.Assignments;

/// <summary>Small readers over the customer API's JSON, so tests say what they check rather than how to parse it.</summary>
internal static class CustomerClient
{
    public static async Task<JsonElement[]> SubscriptionsAsync(this HttpClient customer) =>
        (await customer.GetFromJsonAsync<JsonElement>("/api/customer/subscriptions")).GetProperty("subscriptions").EnumerateArray().ToArray();

    public static async Task<JsonElement> SubscriptionAsync(this HttpClient customer, Guid id) =>
        (await customer.SubscriptionsAsync()).Single(s => s.GetProperty("id").GetGuid() == id);

    /// <summary>Active (Enabled or Warning) subscriptions, optionally of one product.</summary>
    public static async Task<Guid[]> ActiveSubscriptionIdsAsync(this HttpClient customer, string? productName = null) =>
        [.. (await customer.SubscriptionsAsync())
            .Where(s => s.GetProperty("canBeAssigned").GetBoolean())
            .Where(s => productName is null || s.GetProperty("productName").GetString() == productName)
            .Select(s => s.GetProperty("id").GetGuid())];

    public static async Task<Guid> SubscriptionIdAsync(this HttpClient customer, string status)
        => (await customer.SubscriptionsAsync()).First(s => s.GetProperty("status").GetString() == status).GetProperty("id").GetGuid();

    public static Task<HttpResponseMessage> AssignAsync(this HttpClient customer, Guid subscriptionId, string partnerId, Guid? version = null) =>
        customer.PutAsJsonAsync($"/api/customer/subscriptions/{subscriptionId}/partner-of-record", new { partnerId, version });

    public static Task<HttpResponseMessage> RemoveAsync(this HttpClient customer, Guid subscriptionId) =>
        customer.DeleteAsync($"/api/customer/subscriptions/{subscriptionId}/partner-of-record");

    public static async Task<JsonElement[]> HistoryAsync(this HttpClient customer) =>
        (await customer.GetFromJsonAsync<JsonElement>("/api/customer/partner-of-record/history")).EnumerateArray().ToArray();

    public static string? PartnerName(this JsonElement subscription) =>
        subscription.GetProperty("partnerOfRecord").ValueKind == JsonValueKind.Null
            ? null
            : subscription.GetProperty("partnerOfRecord").GetProperty("partnerName").GetString();

    public static string? PartnerState(this JsonElement subscription) =>
        subscription.GetProperty("partnerOfRecord").ValueKind == JsonValueKind.Null
            ? null
            : subscription.GetProperty("partnerOfRecord").GetProperty("state").GetString();

    public static async Task<string> CodeAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("code", out var code) ? code.GetString()! : "";
}
