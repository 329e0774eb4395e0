using System.Globalization;

namespace Serverless.Tests.Shared;

/// <summary>The churn sample's CSV rows as predict request rows.</summary>
internal static class ChurnRows
{
    /// <summary>Every data row of <paramref name="csv"/>, id (first) and label (last) columns dropped, typed as the spec expects.</summary>
    public static List<Dictionary<string, object?>> Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l =>
        {
            var cells = l.Split(',');
            var row = new Dictionary<string, object?>();
            for (var i = 1; i < header.Length - 1; i++)
            {
                row[header[i]] = header[i] switch
                {
                    "contract" or "payment_method" or "internet_service" or "region" => cells[i],
                    "autopay" => cells[i] == "yes",
                    "senior" => cells[i] == "1",
                    _ => cells[i].Length == 0 ? null : double.Parse(cells[i], CultureInfo.InvariantCulture),
                };
            }

            return row;
        }).ToList();
    }
}
