using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// A logger provider for a test host (<see cref="DporWebFactory.TestServices"/>) that keeps every entry with the key/value
/// pairs of the scopes it was written in — what a structured formatter (the JSON console, OTLP) would write beside it.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyList<IReadOnlyDictionary<string, object?>> Scopes)
    {
        /// <summary>A scope value by key, from the innermost scope that has it.</summary>
        public object? Scope(string key) => Scopes.Reverse().FirstOrDefault(s => s.ContainsKey(key))?[key];
    }

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<IReadOnlyDictionary<string, object?>>();
            capture._scopes.ForEachScope((scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    var values = new Dictionary<string, object?>();
                    foreach (var (key, value) in pairs) values.TryAdd(key, value);
                    list.Add(values);
                }
            }, scopes);
            capture._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), scopes));
        }
    }
}
