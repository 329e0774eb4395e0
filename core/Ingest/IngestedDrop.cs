using Serverless.Core.Runs;
using Serverless.Core.Storage;

namespace Serverless.Core.Ingest;

/// <summary>An ingest's outcome and the archive of its drop, which is what allows the drop to be deleted.</summary>
public sealed record IngestedDrop(IngestOutcome Outcome, ArchivedDrop Archive);
