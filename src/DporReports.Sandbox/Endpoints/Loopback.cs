using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace DporReports.Sandbox.Endpoints;

/// <summary>Redirect targets: the sandbox only ever sends a browser back to an app on this machine.</summary>
internal static class Loopback
{
    public static bool IsRedirectUri([NotNullWhen(true)] string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.IsLoopback;

    /// <summary>Appends already-encoded <c>name=value</c> pairs to the query (or fragment) of <paramref name="uri"/>.</summary>
    public static string Append(string uri, IEnumerable<(string Name, string? EncodedValue)> parameters, bool fragment = false)
    {
        var builder = new StringBuilder(uri);
        var separator = fragment ? '#' : uri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }
            builder.Append(separator).Append(name).Append('=').Append(value);
            separator = '&';
        }
        return builder.ToString();
    }

    public static string? Encode(string? value) => value is null ? null : Uri.EscapeDataString(value);
}
