using System.Net;
using System.Text.Json.Nodes;
using Serverless.Cli.Api;
using Serverless.Cli.Output;

namespace Serverless.Cli.Commands;

/// <summary>
/// Scores records in batches through <c>POST /api/models/{model}/predict</c>. The server refuses a whole request for
/// one bad row (400 with every row's field errors): those rows are marked with their errors and the rest of the batch
/// is sent again, so every input row comes back either predicted or with the reason it was refused.
/// </summary>
public sealed class BatchPredictor(PlatformClient client, string model, FeatureColumns columns)
{
    public async Task<IReadOnlyList<ScoredRow>> ScoreAsync(IReadOnlyList<(string[] Record, long Line, long Number)> batch, CancellationToken ct)
    {
        var results = new ScoredRow?[batch.Count];
        var pending = Enumerable.Range(0, batch.Count).ToList();
        while (pending.Count > 0)
        {
            var body = new JsonObject { ["rows"] = new JsonArray([.. pending.Select(i => (JsonNode)columns.Row(batch[i].Record))]) };
            try
            {
                var answer = await client.PostJsonAsync($"models/{Uri.EscapeDataString(model)}/predict", body, ct).ConfigureAwait(false);
                var predictions = answer["predictions"]!.AsArray();
                var version = answer["version"]?.GetValue<int>();
                for (var k = 0; k < pending.Count; k++)
                {
                    var (record, line, number) = batch[pending[k]];
                    results[pending[k]] = new ScoredRow(columns.IdOf(record, number), line, predictions[k], version, null);
                }

                pending.Clear();
            }
            catch (ApiProblemException e) when (e.Status == HttpStatusCode.BadRequest && RowErrors(e, pending.Count) is { Count: > 0 } errors)
            {
                // Row indexes are positions in the request just sent.
                foreach (var (row, messages) in errors)
                {
                    var (record, line, number) = batch[pending[row]];
                    results[pending[row]] = new ScoredRow(columns.IdOf(record, number), line, null, null, string.Join("; ", messages));
                }

                pending = [.. pending.Where((_, k) => !errors.ContainsKey(k))];
            }
        }

        return results!;
    }

    /// <summary>The field errors by request row; null when any error is about the body rather than a row (nothing to retry).</summary>
    private static Dictionary<int, List<string>>? RowErrors(ApiProblemException e, int rows)
    {
        var byRow = new Dictionary<int, List<string>>();
        foreach (var error in e.Problem?["errors"]?.AsArray() ?? [])
        {
            var row = error?["row"]?.GetValue<int>() ?? -1;
            if (row < 0 || row >= rows) return null;
            if (!byRow.TryGetValue(row, out var list)) byRow[row] = list = [];
            list.Add($"{JsonText.Of(error?["field"])}: {JsonText.Of(error?["message"])}");
        }

        return byRow;
    }
}
