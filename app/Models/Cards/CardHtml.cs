using System.Net;
using System.Text;

namespace Serverless.App.Models.Cards;

/// <summary>
/// A self-contained HTML page (inline style, no scripts or external assets): one h1, h2 per section, tables with
/// captions and header scopes, dark text on light backgrounds (contrast above WCAG AA). Every text is HTML-encoded.
/// </summary>
public static class CardHtml
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
        table{border-collapse:collapse;margin:1rem 0;width:100%}caption{text-align:left;font-weight:600;padding:.25rem 0}
        th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#e8e8e8}
        td{font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
        """;

    public static string Render(CardDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(document.Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n<h1>")
            .Append(E(document.Title)).Append("</h1>\n");
        foreach (var section in document.Sections)
        {
            html.Append("<section>\n<h2>").Append(E(section.Heading)).Append("</h2>\n");
            foreach (var paragraph in section.Paragraphs) html.Append("<p>").Append(E(paragraph)).Append("</p>\n");
            foreach (var table in section.Tables)
            {
                html.Append("<table>\n<caption>").Append(E(table.Caption)).Append("</caption>\n<thead><tr>");
                foreach (var header in table.Headers) html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
                html.Append("</tr></thead>\n<tbody>\n");
                foreach (var row in table.Rows)
                {
                    html.Append("<tr>");
                    for (var i = 0; i < row.Count; i++)
                    {
                        html.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(E(row[i])).Append(i == 0 ? "</th>" : "</td>");
                    }

                    html.Append("</tr>\n");
                }

                html.Append("</tbody>\n</table>\n");
            }

            html.Append("</section>\n");
        }

        return html.Append("</main>\n</body>\n</html>\n").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
