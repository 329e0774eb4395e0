using Serverless.Core.Datasets;

namespace Serverless.Core.Monitoring.Logging;

/// <summary>The rows of one prediction log file: the model's inputs plus the <see cref="LoggedColumns"/>.</summary>
public sealed record LoggedBatch(string BlobName, int Version, TabularDataset Table);
