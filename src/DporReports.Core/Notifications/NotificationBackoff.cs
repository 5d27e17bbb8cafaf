namespace DporReports.Core.Notifications;

/// <summary>Delay before the next attempt after a failed one: 1, 2, 4 … minutes, capped at 60.</summary>
public static class NotificationBackoff
{
    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(60);

    /// <param name="attempts">Attempts made so far, including the one that just failed (1 or more).</param>
    public static TimeSpan After(int attempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        // 2^6 = 64 minutes already exceeds the cap; stopping there also keeps the shift from overflowing.
        return attempts > 6 ? Cap : TimeSpan.FromMinutes(Math.Min(Cap.TotalMinutes, 1 << (attempts - 1)));
    }
}
