namespace DporReports.Core.Subscriptions;

/// <summary>One service plan of a SKU as Graph lists it (servicePlanInfo).</summary>
public sealed record ServicePlan(Guid ServicePlanId, string ServicePlanName, string ProvisioningStatus);
