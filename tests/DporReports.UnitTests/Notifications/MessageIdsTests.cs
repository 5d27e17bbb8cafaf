using DporReports.Core.Notifications;
using MimeKit;

namespace DporReports.UnitTests.Notifications;

public sealed class MessageIdsTests
{
    [Fact]
    public void For_SameKey_IsStable() =>
        Assert.Equal(MessageIds.For("assignment:1:assigned"), MessageIds.For("assignment:1:assigned"));

    [Fact]
    public void For_KeyWithColons_IsAValidMessageIdThatSurvivesARoundTrip()
    {
        var id = MessageIds.For("assignment:3f2a:ended");
        var message = new MimeMessage { MessageId = id };
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;

        Assert.Matches("^assignment-3f2a-ended\\.[0-9a-f]{16}@dporreports$", id);
        Assert.Equal(id, MimeMessage.Load(stream).MessageId);
    }

    [Fact]
    public void For_KeysThatSanitiseAlike_GiveDifferentMessageIds()
    {
        // Prevents a lost notification: receivers drop a message whose Message-ID they have seen, so two different
        // events must never share one even when their keys differ only in characters the sanitising replaces.
        Assert.NotEqual(MessageIds.For("a:b"), MessageIds.For("a-b"));
        Assert.NotEqual(MessageIds.For("a:b"), MessageIds.For("a/b"));
    }

    [Theory]
    [InlineData("<abc.123@dporreports>", "abc.123@dporreports.eml")]
    [InlineData("x/../../etc@host", "x_.._.._etc@host.eml")]
    [InlineData("a\\b:c*d?e", "a_b_c_d_e.eml")]
    public void FileName_AnyMessageId_StaysInsideTheFolder(string messageId, string expected)
    {
        // Prevents writing outside the pickup folder: separators and other path characters never reach the file name.
        Assert.Equal(expected, MessageIds.FileName(messageId));
    }
}
