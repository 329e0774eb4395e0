using Serverless.Core.Datasets;

namespace Serverless.App.Datasets;

/// <summary>A rejected drop: its bytes' SHA-256 (the folder under <c>quarantine/{model}/</c>), when, and why (with row problems).</summary>
public sealed record QuarantinedDrop(string Sha256, DateTimeOffset QuarantinedAt, ValidationReport Report);
