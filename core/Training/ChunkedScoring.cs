using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Scoring;

namespace Serverless.Core.Training;

/// <summary>
/// Scores a whole holdout in slices: one ONNX Runtime run over 200k rows sized its buffers (one-hot of a 250-level
/// category, per-row outputs) to several GB of native memory — the train step of a 1M-row run peaked at 7.1 GB RSS
/// against 1.4 GB for the fit alone; in slices it peaked at 2.6 GB (bench/results/training.md).
/// </summary>
public static class ChunkedScoring
{
    public const int RowsPerRun = 16_384;

    public static IReadOnlyList<ModelOutputRow> Predict(OnnxModel model, TabularDataset rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.RowCount <= RowsPerRun) return model.Predict(rows);

        var outputs = new List<ModelOutputRow>(rows.RowCount);
        var indices = new int[RowsPerRun];
        for (var start = 0; start < rows.RowCount; start += RowsPerRun)
        {
            var count = Math.Min(RowsPerRun, rows.RowCount - start);
            var slice = count == RowsPerRun ? indices : new int[count];
            for (var i = 0; i < count; i++) slice[i] = start + i;
            outputs.AddRange(model.Predict(rows.Select(slice)));
        }

        return outputs;
    }
}
