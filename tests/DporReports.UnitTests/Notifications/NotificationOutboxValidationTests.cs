using DporReports.Core.Notifications;

namespace DporReports.UnitTests.Notifications;

public sealed class NotificationOutboxValidationTests
{
    [Theory]
    [InlineData("dpor@tailspin.example", true)]
    [InlineData("first.last+tag@sub.tailspin.example", true)]
    [InlineData("", false)]
    [InlineData("no-at-sign", false)]
    [InlineData("@tailspin.example", false)]
    [InlineData("dpor@", false)]
    [InlineData("a@x.example,b@y.example", false)]
    [InlineData("Dpor <dpor@tailspin.example>", false)]
    [InlineData("dpor @tailspin.example", false)]
    public void IsPlainAddress_Text_AcceptsOnlyABareAddress(string text, bool expected) =>
        Assert.Equal(expected, NotificationOutbox.IsPlainAddress(text));

    [Fact]
    public void Validate_DuplicateRecipients_KeepsEachOnce() =>
        Assert.Equal(["a@x.example"], NotificationOutbox.Validate("k", "kind", ["a@x.example", " A@x.example "], "s"));

    [Fact]
    public void Validate_NoRecipient_ThrowsNamingTheKey() =>
        Assert.Contains("'k' has no recipient", Assert.Throws<ArgumentException>(() => NotificationOutbox.Validate("k", "kind", [], "s")).Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_NoKey_Throws(string key) =>
        Assert.Throws<ArgumentException>(() => NotificationOutbox.Validate(key, "kind", ["a@x.example"], "s"));
}
