using System.Globalization;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Feedback;

/// <summary>
/// Appends labeled production rows (logged inputs + observed labels) to a training snapshot, in the snapshot's
/// column layout. Rows logged for a model version whose inputs lack a current feature are left out.
/// </summary>
public static class LabeledDatasetBuilder
{
    public static (TabularDataset Data, long FeedbackRows) Build(ModelSpec spec, TabularDataset snapshot, IReadOnlyList<LoggedBatch> logged, IReadOnlyDictionary<string, string> labels)
    {
        var picks = new List<(LoggedBatch Batch, int Row, string Label)>();
        foreach (var batch in logged)
        {
            if (spec.Features.Any(f => !batch.Table.Contains(f.Name) || batch.Table[f.Name].Kind != snapshot[f.Name].Kind))
            {
                continue;
            }

            var ids = batch.Table[LoggedColumns.Id].TextValues;
            for (var r = 0; r < batch.Table.RowCount; r++)
            {
                if (labels.TryGetValue(ids[r]!, out var label))
                {
                    picks.Add((batch, r, label));
                }
            }
        }

        if (picks.Count == 0)
        {
            return (snapshot, 0);
        }

        var columns = new List<DataColumn>(snapshot.Columns.Count);
        foreach (var c in snapshot.Columns)
        {
            var isLabel = c.Name == spec.Label;
            if (c.Kind == ColumnKind.Float)
            {
                var values = new float[snapshot.RowCount + picks.Count];
                c.FloatValues.CopyTo(values, 0);
                for (var i = 0; i < picks.Count; i++)
                {
                    var (batch, row, label) = picks[i];
                    values[snapshot.RowCount + i] = isLabel ? FloatLabel(spec.Task, label) : batch.Table[c.Name].FloatValues[row];
                }

                columns.Add(DataColumn.Float(c.Name, values, c.ClassNames));
            }
            else
            {
                var values = new string?[snapshot.RowCount + picks.Count];
                c.TextValues.CopyTo(values, 0);
                for (var i = 0; i < picks.Count; i++)
                {
                    var (batch, row, label) = picks[i];
                    values[snapshot.RowCount + i] = isLabel ? label : batch.Table[c.Name].TextValues[row];
                }

                columns.Add(DataColumn.Text(c.Name, values));
            }
        }

        return (new TabularDataset(columns), picks.Count);
    }

    // Labels were normalized on arrival (FeedbackLabel): "true"/"false" for binary, invariant numbers for regression.
    private static float FloatLabel(ModelTask task, string label) =>
        task == ModelTask.Binary ? (label == "true" ? 1f : 0f) : float.Parse(label, CultureInfo.InvariantCulture);
}
