using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace DporReports.UnitTests.Deploy;

/// <summary>One setting as a deployment file writes it: the file, where in it, the configuration key (":"), the raw value.</summary>
internal sealed record DeploySetting(string File, string Where, string Key, string? Value)
{
    public override string ToString() => $"{File} ({Where}): {Key} = {Value}";
}

/// <summary>The checked-out repository's deploy/ folder (found by walking up to DporReports.sln) and readers for its files.</summary>
internal static class DeployFiles
{
    public const string Compose = "compose.yaml";
    public const string EnvExample = ".env.example";
    public static readonly string[] ComposeFiles = [Compose, "compose.mailpit.yaml"];
    public static readonly string[] SettingsTemplates = ["appsettings.Production.web.template.json", "appsettings.Production.worker.template.json"];

    public static string RepositoryRoot { get; } = Root();

    public static string Folder { get; } = Path.Combine(RepositoryRoot, "deploy");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder, name));

    /// <summary>The services of a compose file, by name.</summary>
    public static IReadOnlyDictionary<string, YamlMappingNode> Services(string composeFile)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(Read(composeFile)))
            stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return ((YamlMappingNode)root.Children[new YamlScalarNode("services")]).Children
            .ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => (YamlMappingNode)e.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// A service's environment as the container sees it: the mapping or KEY=value list form, with YAML merge keys
    /// (<c>&lt;&lt;: *anchor</c>) applied first and the service's own entries overriding them.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Environment(YamlMappingNode service)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var environment)) return result;
        switch (environment)
        {
            case YamlMappingNode mapping:
                Merge(mapping, result);
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.OfType<YamlScalarNode>())
                {
                    var text = item.Value ?? "";
                    var equals = text.IndexOf('=', StringComparison.Ordinal);
                    result[equals < 0 ? text : text[..equals]] = equals < 0 ? null : text[(equals + 1)..];
                }
                break;
        }
        return result;
    }

    private static void Merge(YamlMappingNode mapping, Dictionary<string, string?> into)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (((YamlScalarNode)key).Value != "<<") continue;
            foreach (var merged in value is YamlSequenceNode many ? many.Children.OfType<YamlMappingNode>() : [(YamlMappingNode)value])
                Merge(merged, into);
        }
        foreach (var (key, value) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name != "<<") into[name] = (value as YamlScalarNode)?.Value;
        }
    }

    /// <summary>Every environment variable of every service that is a .NET configuration key (Section__Key), as ":" keys.</summary>
    public static IEnumerable<DeploySetting> ComposeSettings(string composeFile) =>
        from service in Services(composeFile)
        from variable in Environment(service.Value)
        where IsConfigurationKey(variable.Key)
        select new DeploySetting(composeFile, $"service {service.Key}", variable.Key.Replace("__", ":", StringComparison.Ordinal), variable.Value);

    /// <summary>.NET reads a variable as a configuration key when it has "__" (the hierarchy separator); ACCEPT_EULA and the like are the images' own.</summary>
    public static bool IsConfigurationKey(string variable) => variable.Contains("__", StringComparison.Ordinal);

    /// <summary>A JSON settings file flattened the way the configuration provider does: "Section:Key", arrays by index.</summary>
    public static IEnumerable<DeploySetting> TemplateSettings(string templateFile)
    {
        using var document = JsonDocument.Parse(Read(templateFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var settings = new List<DeploySetting>();
        Flatten(document.RootElement, "", settings, templateFile);
        return settings;
    }

    private static void Flatten(JsonElement element, string prefix, List<DeploySetting> into, string file)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", into, file);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Flatten(item, $"{prefix}:{index++}", into, file);
                break;
            default:
                into.Add(new DeploySetting(file, "template", prefix, element.ValueKind switch
                {
                    JsonValueKind.String => element.GetString(),
                    JsonValueKind.Null => null,
                    _ => element.GetRawText(),
                }));
                break;
        }
    }

    /// <summary>NAME=value lines of an env file (comments and blank lines skipped).</summary>
    public static IReadOnlyDictionary<string, string> EnvFile(string name) =>
        Read(name).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "", StringComparer.Ordinal);

    private static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DporReports.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No DporReports.sln above {AppContext.BaseDirectory}.");
    }
}
