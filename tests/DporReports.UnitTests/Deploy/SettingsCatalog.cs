using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using DporReports.Core.Data;
using DporReports.Web.Access;
using Microsoft.Identity.Web;

namespace DporReports.UnitTests.Deploy;

/// <summary>
/// What the hosts bind: every options class with a <c>SectionName</c> constant in Core and Web, plus the sections
/// Microsoft's libraries bind themselves. Answers, as ConfigurationBinder would, whether a key lands on a property
/// and whether a literal value converts to that property's type. (The worker host is not referenced here; it binds the
/// same Core options.)
/// </summary>
internal static class SettingsCatalog
{
    private static readonly Assembly[] Hosts = [typeof(DatabaseOptions).Assembly, typeof(AccessOptions).Assembly];

    private static readonly Lazy<IReadOnlyList<(string[] Path, Type? Type)>> Sections = new(Discover);

    public static IReadOnlyList<(string[] Path, Type? Type)> All => Sections.Value;

    private static List<(string[] Path, Type? Type)> Discover()
    {
        var sections = new List<(string[] Path, Type? Type)>();
        foreach (var type in Hosts.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string name
                && name != "AzureAd") // EntraIdOptions reads a few AzureAd keys loosely; Identity.Web's own class is the authority
                sections.Add((name.Split(':'), type));
        }
        sections.Add((["AzureAd"], typeof(MicrosoftIdentityOptions)));
        sections.Add((["ConnectionStrings"], typeof(Dictionary<string, string>)));
        sections.Add((["Logging"], null)); // free-form: categories and providers
        return sections;
    }

    /// <summary>Null when <paramref name="key"/> ("A:B:0:C") binds and <paramref name="value"/> converts; otherwise why not.</summary>
    public static string? Problem(string key, string? value)
    {
        var path = key.Split(':');
        var section = All.Where(s => s.Path.Length <= path.Length
                && s.Path.Select((segment, i) => string.Equals(segment, path[i], StringComparison.OrdinalIgnoreCase)).All(same => same))
            .OrderByDescending(s => s.Path.Length)
            .Select(s => ((string[] Path, Type? Type)?)s)
            .FirstOrDefault();
        if (section is not { } found)
            return $"{key}: no options class binds a section of that name (known: {string.Join(", ", All.Select(s => string.Join(':', s.Path)))})";
        if (found.Type is null) return null;

        var (leaf, problem) = Walk(found.Type, path, found.Path.Length, key);
        if (problem is not null) return problem;
        return IsLiteral(value) && !Converts(leaf!, value!) ? $"{key}: '{value}' is not a valid {leaf!.Name}" : null;
    }

    /// <summary>A value to check: not empty, not a ${VAR} reference and not a &lt;placeholder&gt;.</summary>
    public static bool IsLiteral(string? value) =>
        !string.IsNullOrEmpty(value) && !value.Contains("${", StringComparison.Ordinal) && !value.Contains('<', StringComparison.Ordinal);

    private static (Type? Leaf, string? Problem) Walk(Type type, string[] path, int at, string key)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (at == path.Length)
            return IsScalar(type) ? (type, null) : (null, $"{key} names a section ({type.Name}), not a value");
        if (IsScalar(type))
            return (null, $"{key}: {string.Join(':', path[..at])} is a {type.Name} value with nothing under it");
        if (DictionaryValue(type) is { } valueType)
            return Walk(valueType, path, at + 1, key);
        if (Element(type) is { } element)
        {
            return int.TryParse(path[at], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? Walk(element, path, at + 1, key)
                : (null, $"{key}: '{path[at]}' is not a list index");
        }
        var property = type.GetProperty(path[at], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property?.GetMethod is null)
            return (null, $"{key}: {type.Name} has no property '{path[at]}'");
        // The binder sets values only through public setters (computed properties such as ProviderName are not settings).
        if (property.SetMethod is not { IsPublic: true } && IsScalar(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType))
            return (null, $"{key}: {type.Name}.{property.Name} has no public setter");
        return Walk(property.PropertyType, path, at + 1, key);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || (!typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string)));

    private static Type? DictionaryValue(Type type) =>
        SelfAndInterfaces(type)
            .Where(i => i.IsGenericType && i.GetGenericArguments() is [var key, _] && key == typeof(string)
                && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
            .Select(i => i.GetGenericArguments()[1])
            .FirstOrDefault();

    private static Type? Element(Type type) =>
        type.IsArray ? type.GetElementType()
        : SelfAndInterfaces(type)
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            .Select(i => i.GetGenericArguments()[0])
            .FirstOrDefault();

    private static Type[] SelfAndInterfaces(Type type) => type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces();

    private static bool Converts(Type type, string value)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return true;
        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value) is not null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException or UriFormatException)
        {
            return false;
        }
    }
}
