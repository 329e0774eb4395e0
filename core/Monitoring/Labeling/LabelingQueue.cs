using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Labeling;

/// <summary>
/// Low-confidence predictions waiting for a human label, in table <c>labeling</c> (partition = model,
/// row = prediction id; v7 ids sort by time, so the oldest come first). A label submitted as feedback removes the
/// item; the labeled prediction then flows into the next training dataset like any other feedback.
/// </summary>
public sealed class LabelingQueue(TableServiceClient tables) : IUncertainPredictionSink
{
    public const string TableName = "labeling";

    private TableClient Table => tables.GetTableClient(TableName);

    public Task EnsureAsync(CancellationToken ct) => Table.CreateIfNotExistsAsync(ct);

    /// <summary>Confidence of a prediction: P of the predicted class. Regression has none.</summary>
    public static double? Confidence(ModelTask task, Prediction p) => task switch
    {
        ModelTask.Binary when p.Score is { } s => Math.Max(s, 1 - s),
        ModelTask.Multiclass when p.Probabilities is { Count: > 0 } probs => probs.Values.Max(),
        _ => null,
    };

    public async Task EnqueueUncertainAsync(IReadOnlyList<PredictionLogEntry> entries, CancellationToken ct)
    {
        var batch = new List<TableTransactionAction>();
        foreach (var e in entries)
        {
            if (e.LabelingConfidenceThreshold is not { } threshold)
            {
                continue;
            }

            for (var i = 0; i < e.Predictions.Count; i++)
            {
                var p = e.Predictions[i];
                if (Confidence(e.Task, p) is not { } confidence || confidence >= threshold)
                {
                    continue;
                }

                // Entity group transactions take one partition (the model) and at most 100 entities, so single-row
                // requests share transactions instead of costing a round trip each.
                if (batch.Count > 0 && batch[0].Entity.PartitionKey != e.Model)
                {
                    await Table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false);
                    batch.Clear();
                }

                batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(e.Model, p.Id)
                {
                    ["Version"] = e.Version,
                    ["PredictedAt"] = e.At,
                    ["Confidence"] = confidence,
                    ["PredictedLabel"] = p.Label,
                    ["Features"] = JsonSerializer.Serialize(Row(e.Inputs, i), PlatformJson.Options),
                }));

                if (batch.Count == 100)
                {
                    await Table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false);
                    batch.Clear();
                }
            }
        }

        if (batch.Count > 0)
        {
            await Table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<LabelingItem>> TakeAsync(string model, int take, CancellationToken ct)
    {
        var items = new List<LabelingItem>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {model}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: ct).ConfigureAwait(false))
        {
            items.Add(new LabelingItem(
                e.RowKey,
                e.GetInt32("Version") ?? 0,
                e.GetDateTimeOffset("PredictedAt") ?? default,
                e.GetDouble("Confidence") ?? 0,
                e.GetString("PredictedLabel"),
                JsonSerializer.Deserialize<Dictionary<string, object?>>(e.GetString("Features") ?? "{}", PlatformJson.Options) ?? []));
            if (items.Count >= take)
            {
                break;
            }
        }

        return items;
    }

    /// <summary>Removes labeled items; ids that were never queued are ignored.</summary>
    public async Task RemoveAsync(string model, IEnumerable<string> predictionIds, CancellationToken ct)
    {
        foreach (var id in predictionIds)
        {
            try
            {
                await Table.DeleteEntityAsync(model, id, ETag.All, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }
    }

    private static Dictionary<string, object?> Row(TabularDataset inputs, int i)
    {
        var row = new Dictionary<string, object?>(inputs.Columns.Count, StringComparer.Ordinal);
        foreach (var c in inputs.Columns)
        {
            row[c.Name] = c.Kind == ColumnKind.Float
                ? (float.IsNaN(c.FloatValues[i]) ? null : (double)c.FloatValues[i])
                : c.TextValues[i];
        }

        return row;
    }
}
