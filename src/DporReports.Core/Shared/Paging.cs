namespace DporReports.Core.Shared;

/// <summary>How many rows a list request may ask for: bounded before it reaches a query (a negative LIMIT is a server error).</summary>
public static class Paging
{
    public const int DefaultTake = 200;
    public const int MaxTake = 1000;

    public static Outcome<int> Take(int? take, string field = "take") =>
        take switch
        {
            null => DefaultTake,
            >= 1 and <= MaxTake => take.Value,
            _ => Problem.Validation(field, $"Ask for 1 to {MaxTake} entries."),
        };
}
