using System.Security.Cryptography;
using System.Text;

namespace DporReports.Core.Notifications;

/// <summary>
/// Message-IDs derived from outbox idempotency keys. The same key always gives the same Message-ID, so a message sent
/// again after a crash is recognisably the same message.
/// </summary>
internal static class MessageIds
{
    public const string Domain = "dporreports";

    /// <summary>
    /// The key with every character outside RFC 5322 dot-atom text replaced by '-', plus a short hash of the original
    /// key: replacing characters alone would give "a:b" and "a-b" the same Message-ID, and receivers that de-duplicate
    /// on it would drop a different message.
    /// </summary>
    public static string For(string idempotencyKey)
    {
        var readable = new StringBuilder(idempotencyKey.Length);
        foreach (var c in idempotencyKey)
            readable.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=' or '+' ? c : '-');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..16];
        return $"{readable}.{hash}@{Domain}";
    }

    /// <summary>A file name for a Message-ID (with or without angle brackets): anything but letters, digits, '.', '-', '_', '@' becomes '_'.</summary>
    public static string FileName(string messageId)
    {
        var name = new StringBuilder(messageId.Length + 4);
        foreach (var c in messageId.Trim().Trim('<', '>'))
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_');
        return name.Append(".eml").ToString();
    }
}
