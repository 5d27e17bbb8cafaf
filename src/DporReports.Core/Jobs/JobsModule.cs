using System.Data.Common;
using System.Globalization;
using DporReports.Core.Data;
using Hangfire;
using Hangfire.Storage;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DporReports.Core.Jobs;

/// <summary>Hangfire queues, named once. A worker host picks which it serves.</summary>
public static class JobQueues
{
    public const string Default = "default";
    public const string Ingestion = "ingestion";
    public const string Reports = "reports";
    public const string Notifications = "notifications";
    public static readonly string[] All = [Notifications, Default, Ingestion, Reports];
}

/// <summary>Where Hangfire keeps jobs, spelled as <c>Hangfire:Storage</c> takes them.</summary>
public static class JobStorages
{
    public const string InMemory = "InMemory";
    public const string PostgreSql = "PostgreSql";
    public const string SqlServer = "SqlServer";
    public static readonly IReadOnlyList<string> All = [InMemory, PostgreSql, SqlServer];

    /// <summary>Hangfire's tables live in their own schema, beside (never among) the product's.</summary>
    public const string Schema = "hangfire";

    public static string? Normalize(string? value) => All.FirstOrDefault(s => string.Equals(s, value?.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed class JobsOptions
{
    public const string SectionName = "Hangfire";

    /// <summary><c>InMemory</c> for the embedded default (one process); <c>PostgreSql</c> or <c>SqlServer</c> when several hosts share the jobs.</summary>
    public string Storage { get; set; } = JobStorages.InMemory;

    /// <summary>For a server storage; empty means the database's own (<c>Database:ConnectionString</c>), which must then be of the same engine.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Whether the host creates or upgrades Hangfire's schema at start. Unset: yes, except in Production, where the
    /// application's login should not own DDL and a schema upgrade is a deliberate deployment step.
    /// </summary>
    public bool? PrepareSchema { get; set; }

    /// <summary>
    /// Server storages: how long a job fetched by a host that then died stays invisible before another host takes it.
    /// The timeout slides (a live host keeps extending it), so it bounds the recovery time, not the length of a job.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// PostgreSQL storage: how long a <c>[DisableConcurrentExecution]</c> lock left by a dead host blocks the job's next run
    /// (Hangfire.PostgreSql's default; SQL Server's locks end with the dead host's connection).
    /// </summary>
    public TimeSpan DistributedLockTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The Hangfire server of this host: on in the embedded default; off on web hosts when workers run apart.</summary>
    public JobServerOptions Server { get; set; } = new();

    public string? StorageName => JobStorages.Normalize(Storage);

    /// <summary>The jobs database: its own connection string, or else the product database's.</summary>
    public string ConnectionStringOr(DatabaseOptions database) =>
        string.IsNullOrWhiteSpace(ConnectionString) ? database.ConnectionString : ConnectionString;
}

public sealed class JobServerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Workers per queue (<c>Hangfire:Server:Workers:ingestion=8</c>); 0 leaves the queue to other hosts. Each queue has its
    /// own server, so a long report never holds up a tenant's pull or the outbox. Graph's per-tenant throttling, not CPU,
    /// bounds ingestion; report builds are CPU- and memory-bound.
    /// </summary>
    public Dictionary<string, int> Workers { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [JobQueues.Notifications] = 1,
        [JobQueues.Default] = 1,
        [JobQueues.Ingestion] = 2,
        [JobQueues.Reports] = 1,
    };

    /// <summary>The queues this host serves, each with its worker count, in <see cref="JobQueues.All"/> order.</summary>
    public IEnumerable<(string Queue, int Workers)> Served =>
        JobQueues.All.Select(q => (q, Workers.GetValueOrDefault(q))).Where(p => p.Item2 > 0);

    public const int MaxWorkersPerQueue = 64;
}

internal sealed class JobsOptionsValidator(IOptions<DatabaseOptions> database) : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var section = JobsOptions.SectionName;
        if (ServerProblem(options.Server) is { } serverProblem) return ValidateOptionsResult.Fail(serverProblem);
        foreach (var (key, value) in new[] { (nameof(options.InvisibilityTimeout), options.InvisibilityTimeout), (nameof(options.DistributedLockTimeout), options.DistributedLockTimeout) })
        {
            if (value < TimeSpan.FromSeconds(5) || value > TimeSpan.FromHours(1))
                return ValidateOptionsResult.Fail($"{section}:{key} must be between 00:00:05 and 01:00:00; it is {value}.");
        }
        if (options.StorageName is not { } storage)
            return ValidateOptionsResult.Fail($"{section}:Storage must be one of {string.Join(", ", JobStorages.All)}; it is '{options.Storage}'.");
        if (storage == JobStorages.InMemory) return ValidateOptionsResult.Success;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return DatabaseOptionsValidator.ConnectionStringProblem(storage, options.ConnectionString) is { } problem
                ? ValidateOptionsResult.Fail($"{section}:ConnectionString is not a {storage} connection string: {problem}")
                : ValidateOptionsResult.Success;
        }
        var provider = database.Value.ProviderName;
        return provider == storage
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{section}:Storage is {storage} but {DatabaseOptions.SectionName}:Provider is {database.Value.Provider}: "
                + $"set {section}:ConnectionString to a {storage} database for the jobs.");
    }

    private static string? ServerProblem(JobServerOptions server)
    {
        var workers = $"{JobsOptions.SectionName}:Server:Workers";
        if (server.Workers.Keys.FirstOrDefault(q => !JobQueues.All.Contains(q, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            return $"{workers}:{unknown} is not a queue; the queues are {string.Join(", ", JobQueues.All)}.";
        if (server.Workers.FirstOrDefault(p => p.Value is < 0 or > JobServerOptions.MaxWorkersPerQueue) is { Key: not null } bad)
            return $"{workers}:{bad.Key} must be between 0 and {JobServerOptions.MaxWorkersPerQueue}; it is {bad.Value}.";
        if (server.Enabled && !server.Served.Any())
            return $"{JobsOptions.SectionName}:Server:Enabled is true but every queue has 0 workers: give at least one queue workers, or disable the server.";
        return null;
    }
}

public static class JobsModule
{
    /// <summary>A host's command-line switch: install or upgrade Hangfire's schema in the jobs database, then exit.</summary>
    public const string PrepareSchemaSwitch = "--prepare-jobs-schema";

    /// <summary>
    /// The deployment step behind <see cref="PrepareSchemaSwitch"/>: installs or upgrades Hangfire's schema in the jobs
    /// database with the storage's own installer, reading only the Database and Hangfire sections (the step's container
    /// knows nothing of Entra ID, Graph or mail). Idempotent. Returns the process exit code.
    /// </summary>
    public static int PrepareJobsSchema(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var jobs = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (new JobsOptionsValidator(Options.Create(database)).Validate(null, jobs) is { Failed: true } invalid)
        {
            error.WriteLine(invalid.FailureMessage);
            return 2;
        }
        if (jobs.StorageName is not { } storage || storage == JobStorages.InMemory)
        {
            output.WriteLine($"{JobsOptions.SectionName}:Storage is {jobs.Storage}: there is no schema to prepare.");
            return 0;
        }
        var connectionString = jobs.ConnectionStringOr(database);
        try
        {
            if (storage == JobStorages.PostgreSql)
            {
                using var connection = new NpgsqlConnection(connectionString);
                connection.Open();
                PostgreSqlObjectsInstaller.Install(connection, JobStorages.Schema);
            }
            else
            {
                using var connection = new SqlConnection(connectionString);
                connection.Open();
                SqlServerObjectsInstaller.Install(connection, JobStorages.Schema);
            }
        }
        catch (DbException e)
        {
            error.WriteLine($"Could not prepare Hangfire's schema '{JobStorages.Schema}' in the {storage} jobs database: {e.Message}");
            return 1;
        }
        output.WriteLine($"Hangfire's schema '{JobStorages.Schema}' is ready in the {storage} jobs database.");
        return 0;
    }

    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        var options = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();

        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseConfiguredStorage(provider));
        if (options.Server.Enabled)
        {
            foreach (var (queue, workers) in options.Server.Served)
            {
                services.AddHangfireServer(server =>
                {
                    server.ServerName = $"{Environment.MachineName}:{queue}";
                    server.Queues = [queue];
                    server.WorkerCount = workers;
                });
            }
        }
        services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("hangfire-storage", tags: ["ready"]);
        return services;
    }

    private static IGlobalConfiguration UseConfiguredStorage(this IGlobalConfiguration config, IServiceProvider provider)
    {
        var jobs = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
        var storage = jobs.StorageName;
        if (storage is null or JobStorages.InMemory) return config.UseInMemoryStorage();

        var connectionString = jobs.ConnectionStringOr(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        var prepare = jobs.PrepareSchema ?? !provider.GetRequiredService<IHostEnvironment>().IsProduction();
        if (!prepare) RequireSchema(storage, connectionString);
        return storage == JobStorages.PostgreSql
            ? config.UsePostgreSqlStorage(c => c.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = JobStorages.Schema,
                    PrepareSchemaIfNecessary = prepare,
                    // Its default of 15 s would make "refresh now" and a new connection's first sync wait that long.
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = true,
                    DistributedLockTimeout = jobs.DistributedLockTimeout,
                })
            // Microsoft.Data.SqlClient explicitly (what EF uses; Azure AD authentication), not Hangfire's System.Data fallback.
            : config.UseStorage(new SqlServerStorage(() => new SqlConnection(connectionString),
                new SqlServerStorageOptions
                {
                    SchemaName = JobStorages.Schema,
                    PrepareSchemaIfNecessary = prepare,
                    SlidingInvisibilityTimeout = jobs.InvisibilityTimeout,
                }));
    }

    /// <summary>
    /// Without it Hangfire would wait on a lock table that is not there and fail minutes later with a lock timeout:
    /// say at once what is missing and how to install it.
    /// </summary>
    private static void RequireSchema(string storage, string connectionString)
    {
        using DbConnection connection = storage == JobStorages.PostgreSql ? new NpgsqlConnection(connectionString) : new SqlConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{JobStorages.Schema}'";
        if (Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            throw new InvalidOperationException($"{JobsOptions.SectionName}:PrepareSchema is off (the Production default) and the jobs database has no "
                + $"'{JobStorages.Schema}' schema: install it as a deployment step, e.g. start one host once with {JobsOptions.SectionName}:PrepareSchema=true.");
    }
}

/// <summary>The service-wide recurring jobs, registered in one place under stable ids (per-tenant ones: TenantJobs).</summary>
public static class RecurringJobs
{
    public static IServiceProvider ScheduleRecurringJobs(this IServiceProvider services)
    {
        var manager = services.GetRequiredService<IRecurringJobManager>();
        Notifications.NotificationJobs.Schedule(manager);
        Usage.UsageModule.Schedule(manager);
        Reports.ReportsModule.Schedule(manager);
        return services;
    }

    /// <summary>
    /// Removes the recurring jobs under <paramref name="prefix"/> that are not in <paramref name="keep"/>: what a start-up
    /// registrar does after re-registering the per-tenant or per-schedule jobs the database says should exist.
    /// </summary>
    public static int RemoveStale(this IRecurringJobManager recurring, JobStorage storage, string prefix, IReadOnlySet<string> keep)
    {
        using var connection = storage.GetConnection();
        var stale = connection.GetRecurringJobs().Select(j => j.Id)
            .Where(id => id.StartsWith(prefix, StringComparison.Ordinal) && !keep.Contains(id)).ToList();
        foreach (var id in stale) recurring.RemoveIfExists(id);
        return stale.Count;
    }
}

internal sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var stats = storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy($"{stats.Servers} server(s), {stats.Enqueued} enqueued, {stats.Failed} failed."));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage is unreachable.", e));
        }
    }
}
