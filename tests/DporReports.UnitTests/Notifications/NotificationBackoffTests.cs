using DporReports.Core.Notifications;

namespace DporReports.UnitTests.Notifications;

public sealed class NotificationBackoffTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 16)]
    [InlineData(6, 32)]
    public void After_NthAttempt_DoublesFromOneMinute(int attempts, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), NotificationBackoff.After(attempts));

    [Theory]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(int.MaxValue)]
    public void After_ManyAttempts_IsCappedAtAnHour(int attempts) =>
        Assert.Equal(TimeSpan.FromMinutes(60), NotificationBackoff.After(attempts));

    [Fact]
    public void After_ZeroAttempts_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NotificationBackoff.After(0));
}
