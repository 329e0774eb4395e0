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
}
