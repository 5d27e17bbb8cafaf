namespace DporReports.Core.Data;

/// <summary>A text longer than its column was about to be saved: nothing of the unit of work was written.</summary>
public sealed class StoredTextTooLongException(string entity, string property, int maxLength)
    : Exception($"{entity}.{property} is longer than its {maxLength} characters; nothing was saved.")
{
    public string Entity { get; } = entity;
    public string Property { get; } = property;
    public int MaxLength { get; } = maxLength;
}
