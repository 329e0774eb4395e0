using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.App.Models.Cards;

/// <summary>CommonMark with GFM tables; user text is escaped so it cannot add markup, links or raw HTML.</summary>
public static partial class CardMarkdown
{
    public static string Render(CardDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var md = new StringBuilder();
        md.Append("# ").Append(Escape(document.Title)).Append("\n\n");
        foreach (var section in document.Sections)
        {
            md.Append("## ").Append(Escape(section.Heading)).Append("\n\n");
            foreach (var paragraph in section.Paragraphs) md.Append(EscapeBlock(paragraph)).Append("\n\n");
            foreach (var table in section.Tables)
            {
                md.Append("**").Append(Escape(table.Caption)).Append("**\n\n");
                md.Append("| ").AppendJoin(" | ", table.Headers.Select(Escape)).Append(" |\n");
                md.Append('|').AppendJoin('|', table.Headers.Select(_ => " --- ")).Append("|\n");
                foreach (var row in table.Rows) md.Append("| ").AppendJoin(" | ", row.Select(Escape)).Append(" |\n");
                md.Append('\n');
            }
        }

        return md.ToString();
    }

    /// <summary>
    /// Backslash-escapes the characters that make inline markup anywhere (emphasis, code, links, raw HTML, table cells);
    /// newlines become spaces, so text cannot open a block of its own.
    /// </summary>
    public static string Escape(string text) => InlineMarkup().Replace(text.ReplaceLineEndings(" "), @"\$0");

    /// <summary>As <see cref="Escape"/>, and a leading block marker (heading, list, rule) escaped: for text that starts a line.</summary>
    public static string EscapeBlock(string text)
    {
        var escaped = Escape(text);
        return escaped.Length > 0 && "#+-=".Contains(escaped[0], StringComparison.Ordinal) ? "\\" + escaped : escaped;
    }

    [GeneratedRegex(@"[\\`*_\[\]<>|~&]")]
    private static partial Regex InlineMarkup();
}
