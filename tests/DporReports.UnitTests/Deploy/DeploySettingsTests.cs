using System.Text.RegularExpressions;
using DporReports.Core.Data;
using DporReports.Core.Jobs;
using YamlDotNet.RepresentationModel;

namespace DporReports.UnitTests.Deploy;

/// <summary>
/// deploy/ names settings by key (compose's Section__Key variables, the production templates) and the hosts bind them to
/// options classes. A renamed or mistyped key does not fail anywhere: the host quietly keeps the default, and in
/// production that default is the wrong one (a web host that also runs the jobs, a migration at start under a login
/// without DDL rights). So every key must land on a real property, every literal value must convert to its type, and no
/// committed deployment file may hold a secret: only ${VAR} references (compose) or &lt;placeholders&gt; (templates, .env.example).
/// </summary>
public sealed class DeploySettingsTests
{
    private static readonly Regex SecretName = new("password|secret|pwd|apikey|privatekey|token", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex InlinePassword = new(@"\b(?:password|pwd)\s*=\s*([^;""]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex ComposeVariable = new(@"\$\{([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant);

    [Fact]
    public void ComposeEnvironment_EverySettingsKey_BindsToAnOptionsProperty()
    {
        var settings = DeployFiles.ComposeFiles.SelectMany(DeployFiles.ComposeSettings).ToList();

        Assert.Contains(settings, s => s.Key == "Database:ConnectionString"); // the reader found the merged environments
        AssertNone(Problems(settings));
    }

    [Fact]
    public void SettingsTemplates_EveryKey_BindsToAnOptionsProperty()
    {
        var settings = DeployFiles.SettingsTemplates.SelectMany(DeployFiles.TemplateSettings).ToList();

        Assert.Contains(settings, s => s.Key == "AzureAd:ClientCredentials:0:SourceType" && s.Value == "KeyVault");
        AssertNone(Problems(settings));
    }

    [Theory]
    [InlineData("Hangfire:ServerEnabledd", "false")]        // mistyped property
    [InlineData("Database:ProviderName", "SqlServer")]      // computed, no setter
    [InlineData("Database:MigrateAtStartup", "no")]         // not a bool
    [InlineData("Mail:Smtp:Security", "Tls")]               // not a SmtpSecurity
    [InlineData("AzureAd:ClientCredentials:0:KeyVaultUrll", "https://v.vault.azure.net/")] // Identity.Web's own class decides
    [InlineData("AzureAd:ClientCredentials:0:SourceType", "Vault")]
    [InlineData("Reports:PublicBaseUrl", "https://example.com/")] // no such section
    [InlineData("Database", "SqlServer")]                   // a section, not a value
    public void Problem_RenamedMistypedOrComputedKey_IsReported(string key, string value) =>
        Assert.NotNull(SettingsCatalog.Problem(key, value));

    [Theory]
    [InlineData("Reports:Schedules:PublicBaseUrl", "https://dpor.example.com/")]
    [InlineData("hangfire:server:workers:ingestion", "8")]
    [InlineData("AzureAd:ClientCredentials:1:ClientSecret", "${DPOR_AZUREAD_CLIENT_SECRET}")]
    [InlineData("Logging:LogLevel:Microsoft.AspNetCore", "Warning")]
    [InlineData("Mail:Smtp:Port", "<port>")]
    public void Problem_RealKeyWithConvertibleReferenceOrPlaceholderValue_IsNull(string key, string value) =>
        Assert.Null(SettingsCatalog.Problem(key, value));

    [Fact]
    public void ComposeHosts_SchemaStepAndJobs_LeftToTheMigrateServiceAndTheWorkers()
    {
        var services = DeployFiles.Services(DeployFiles.Compose);
        var migrate = DeployFiles.Environment(services["migrate"]);

        foreach (var host in new[] { "web", "worker" })
        {
            var environment = DeployFiles.Environment(services[host]);
            Assert.Equal("false", environment["Database__MigrateAtStartup"]);
            Assert.Equal("false", environment["Hangfire__PrepareSchema"]);
            Assert.Contains(environment["Database__Provider"], DatabaseProviders.All);
            Assert.Contains(environment["Hangfire__Storage"], JobStorages.All);
            Assert.Equal(environment["Database__Provider"], migrate["Database__Provider"]);
            Assert.Equal(environment["Hangfire__Storage"], migrate["Hangfire__Storage"]);
            var dependsOn = (YamlMappingNode)services[host].Children[new YamlScalarNode("depends_on")];
            var onMigrate = (YamlMappingNode)dependsOn.Children[new YamlScalarNode("migrate")];
            Assert.Equal("service_completed_successfully", ((YamlScalarNode)onMigrate.Children[new YamlScalarNode("condition")]).Value);
        }
        Assert.Equal("false", DeployFiles.Environment(services["web"])["Hangfire__Server__Enabled"]);
        Assert.Equal("true", DeployFiles.Environment(services["worker"])["Hangfire__Server__Enabled"]);
    }

    [Fact]
    public void ComposeFiles_EveryVariable_IsDocumentedInTheEnvExample()
    {
        var example = DeployFiles.EnvFile(DeployFiles.EnvExample);

        var missing = DeployFiles.ComposeFiles
            .SelectMany(f => ComposeVariable.Matches(DeployFiles.Read(f)).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .Where(name => !example.ContainsKey(name))
            .ToList();

        AssertNone(missing);
    }

    [Fact]
    public void DeployFiles_SecretLookingValues_AreReferencesOrPlaceholdersOnly()
    {
        var leaks = new List<string>();
        foreach (var file in DeployFiles.ComposeFiles)
        {
            foreach (var (service, definition) in DeployFiles.Services(file))
            {
                foreach (var (name, value) in DeployFiles.Environment(definition))
                {
                    // Compose takes every secret from the environment (deploy/.env) at run time.
                    if (SecretName.IsMatch(name) && !string.IsNullOrEmpty(value) && !IsReference(value))
                        leaks.Add($"{file} ({service}): {name}");
                    leaks.AddRange(InlineLiterals(value).Select(v => $"{file} ({service}): {name} has a password '{v}'"));
                }
            }
        }
        foreach (var setting in DeployFiles.SettingsTemplates.SelectMany(DeployFiles.TemplateSettings))
        {
            if (SecretName.IsMatch(setting.Key.Split(':')[^1]) && !string.IsNullOrEmpty(setting.Value) && !IsPlaceholder(setting.Value))
                leaks.Add(setting.ToString());
            leaks.AddRange(InlineLiterals(setting.Value).Select(v => $"{setting.File}: {setting.Key} has a password '{v}'"));
        }
        foreach (var (name, value) in DeployFiles.EnvFile(DeployFiles.EnvExample))
        {
            if (SecretName.IsMatch(name) && value.Length > 0 && !IsPlaceholder(value))
                leaks.Add($"{DeployFiles.EnvExample}: {name}");
            leaks.AddRange(InlineLiterals(value).Select(v => $"{DeployFiles.EnvExample}: {name} has a password '{v}'"));
        }
        foreach (var path in Directory.EnumerateFiles(DeployFiles.Folder))
        {
            if (File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal))
                leaks.Add($"{Path.GetFileName(path)} holds a PEM block (a key or certificate)");
        }

        AssertNone(leaks);
    }

    // Every finding in full (Assert.Empty would cut them short).
    private static void AssertNone(List<string> findings) => Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));

    private static List<string> Problems(IEnumerable<DeploySetting> settings) =>
        settings.Select(s => SettingsCatalog.Problem(s.Key, s.Value) is { } problem ? $"{s.File} ({s.Where}): {problem}" : null)
            .OfType<string>()
            .ToList();

    private static IEnumerable<string> InlineLiterals(string? value) =>
        value is null ? [] : InlinePassword.Matches(value).Select(m => m.Groups[1].Value.Trim())
            .Where(v => v.Length > 0 && !IsPlaceholder(v) && !IsReference(v));

    private static bool IsReference(string value) => value.StartsWith("${", StringComparison.Ordinal) && value.EndsWith('}');

    private static bool IsPlaceholder(string value) => value.StartsWith('<') && value.EndsWith('>');
}
