namespace Serverless.Core.Scoring;

/// <summary>Bound from configuration section <c>Scoring</c>.</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>Most rows one predict request may carry (413 beyond).</summary>
    public int MaxRows { get; set; } = 10_000;

    /// <summary>Most bytes one predict request body may carry (413 beyond).</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most bytes of a dataset posted to <c>POST /api/models/{model}/runs</c>.</summary>
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How often the champion alias is re-read; bounds how long a promotion takes to be served.</summary>
    public TimeSpan ChampionRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a version stays loaded after it stops being champion: long enough for requests that picked it up
    /// before the swap to finish (and for a quick rollback to find it warm), short enough that a model retrained
    /// every few hours does not pile up ONNX sessions in memory.
    /// </summary>
    public TimeSpan RetiredVersionGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>auto</c> (CUDA if available, else CPU), <c>cuda</c> (required) or <c>cpu</c>.</summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Auto;

    /// <summary>Coalesce concurrent predict calls for the same model version into one ONNX Runtime run.</summary>
    public bool BatchingEnabled { get; set; }

    /// <summary>Most rows in one coalesced run; a request this large or larger runs on its own.</summary>
    public int BatchMaxRows { get; set; } = 256;

    /// <summary>Longest a call waits for a batch to fill while another run of the same version is busy.</summary>
    public TimeSpan BatchMaxWait { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How often each host writes its per-version request counts and latencies (what release guardrails read).</summary>
    public TimeSpan TrafficStatsFlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Shadow copies waiting to be scored; beyond this a copy is dropped and counted, never the live request.</summary>
    public int ShadowQueueCapacity { get; set; } = 1_000;
}
