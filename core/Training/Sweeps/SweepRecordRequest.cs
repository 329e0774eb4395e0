using Serverless.Core.Runs;

namespace Serverless.Core.Training.Sweeps;

/// <summary>Stores a finished sweep with its run (<see cref="SweepBlobs.Result"/>), where registration reads it for the card.</summary>
public sealed record SweepRecordRequest(string RunId, string Model, SweepResult Result);
