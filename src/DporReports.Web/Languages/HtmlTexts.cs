using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Languages;

public static class HtmlTexts
{
    /// <summary>
    /// A whole sentence with marked-up parts (a name in bold, a link): the sentence is translated as one text, so no
    /// language has to follow English word order. The resource's text is ours and written as is; every argument is
    /// HTML-encoded unless it is already markup (<see cref="IHtmlContent"/>).
    /// </summary>
    public static IHtmlContent Html(this IStringLocalizer texts, string key, params object[] args) =>
        new HtmlFormattableString(CultureInfo.InvariantCulture, texts[key].Value, args);
}
