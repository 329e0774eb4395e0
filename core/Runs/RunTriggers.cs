namespace Serverless.Core.Runs;

/// <summary>What started a run (<see cref="PipelineInput.Trigger"/>), as <c>GET …/runs?trigger=</c> filters it.</summary>
public static class RunTriggers
{
    /// <summary>A file dropped into <c>datasets/{model}/incoming/</c>.</summary>
    public const string Drop = "drop";

    /// <summary>A file posted to <c>POST …/runs</c>.</summary>
    public const string Upload = "upload";

    /// <summary><c>POST …/runs</c> with <c>{"datasetVersion": …}</c>.</summary>
    public const string DatasetVersion = "dataset-version";

    /// <summary><c>POST /api/runs/{id}/rerun</c>: the run's dataset version under the current spec.</summary>
    public const string Rerun = "rerun";

    /// <summary>Monitoring retrained on drift or a quality breach.</summary>
    public const string Monitoring = "monitoring";

    public static readonly IReadOnlyList<string> All = [Drop, Upload, DatasetVersion, Rerun, Monitoring];

    /// <summary>The input's trigger; runs started before it was recorded are told apart by where their data came from.</summary>
    public static string Of(PipelineInput input) =>
        input.Trigger ?? input.SourceBlob switch
        {
            { } blob when blob.Contains("/uploads/", StringComparison.Ordinal) => Upload,
            not null => Drop,
            null when input.SourceName.StartsWith("monitoring", StringComparison.Ordinal) => Monitoring,
            null => DatasetVersion,
        };
}
