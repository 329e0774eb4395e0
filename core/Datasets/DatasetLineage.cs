namespace Serverless.Core.Datasets;

/// <summary>Where a derived dataset version came from: a parent version plus labeled production rows.</summary>
/// <param name="ParentDataset">The dataset version the new one extends.</param>
/// <param name="FeedbackRows">Logged predictions with an observed label that were appended.</param>
/// <param name="FeedbackFrom">Earliest prediction time considered.</param>
/// <param name="FeedbackTo">Latest prediction time considered.</param>
/// <param name="Reason">Why it was built (e.g. the drift check that triggered retraining).</param>
public sealed record DatasetLineage(string ParentDataset, long FeedbackRows, DateTimeOffset FeedbackFrom, DateTimeOffset FeedbackTo, string Reason);
