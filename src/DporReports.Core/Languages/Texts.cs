namespace DporReports.Core.Languages;

/// <summary>
/// The one resource of every text a person reads (pages, messages, validation errors, mails), used through
/// <c>IStringLocalizer&lt;Texts&gt;</c>. The key is the English text itself, so English needs no resource file and a page
/// stays readable in markup; <c>Texts.es.resx</c> holds the Spanish of every key (a test fails on a key it lacks).
/// </summary>
public sealed class Texts;
