namespace DporReports.Core.Shared;

/// <summary>
/// A refusal the caller can act on: an HTTP status, a stable machine-readable code, a sentence for people, and for
/// validation failures the offending fields. Features return it; the web layer renders it as problem details.
/// </summary>
public sealed record Problem(int Status, string Code, string Message, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static Problem Validation(string field, string message) =>
        new(400, "validation", message, new Dictionary<string, string[]> { [field] = [message] });

    public static Problem NotFound(string code, string message) => new(404, code, message);
    public static Problem Conflict(string code, string message) => new(409, code, message);
    public static Problem Forbidden(string code, string message) => new(403, code, message);
}

/// <summary>Either a value or a <see cref="Problem"/>.</summary>
public readonly record struct Outcome<T>(T? Value, Problem? Problem)
{
    public bool Succeeded => Problem is null;
    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Problem problem) => new(default, problem);
}
