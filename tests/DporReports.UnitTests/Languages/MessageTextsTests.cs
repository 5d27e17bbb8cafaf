using DporReports.Core.Languages;
using DporReports.Core.Reports.Schedules;
using DporReports.Web.Languages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DporReports.UnitTests.Languages;

/// <summary>
/// Messages stored in English with values in them (a run's or a digest's problem) are shown through <see cref="MessageTexts.Message"/>:
/// each must match one Spanish template, the values carried over, or a Spanish reader sees English.
/// </summary>
public sealed class MessageTextsTests
{
    private static readonly IStringLocalizer T = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()),
        NullLoggerFactory.Instance).Create(typeof(Texts));

    private static readonly string[] Dropped = ["ana@fabrikam.example", "luis@contoso.example"];

    public static TheoryData<string, string> Problems => new()
    {
        { RecipientDomain.NotSent(Dropped), "No enviado a ana@fabrikam.example, luis@contoso.example: fuera de los dominios permitidos de su organización ahora." },
        { RecipientDomain.NoneAllowed("No mail", Dropped),
            "Sin correo: ninguno de sus destinatarios (ana@fabrikam.example, luis@contoso.example) está ahora en los dominios permitidos de su organización." },
        { RecipientDomain.NoneAllowed("The workbook is in your downloads, but no mail was sent", Dropped),
            "El libro está en sus descargas, pero no se envió ningún correo: ninguno de sus destinatarios (ana@fabrikam.example, luis@contoso.example) "
            + "está ahora en los dominios permitidos de su organización." },
        { "No mail: no recipient may receive it.", "Sin correo: ningún destinatario puede recibirlo." },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void StoredProblem_ReadsInSpanish_WithItsValues(string english, string spanish)
    {
        using (Language.Use(Language.Spanish)) Assert.Equal(spanish, T.Message(english));
        using (Language.Use(Language.English)) Assert.Equal(english, T.Message(english));
    }
}
