namespace DporReports.Core.Usage;

/// <summary>
/// A usage report file we refuse (missing column, HTML body, cut short at row N, malformed value, …). The message is
/// written for the ingestion run record: it says what is wrong and where, never a user's name or address.
/// </summary>
public sealed class UsageReportFormatException(string message) : Exception(message);
