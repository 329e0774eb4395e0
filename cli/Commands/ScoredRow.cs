using System.Text.Json.Nodes;

namespace Serverless.Cli.Commands;

/// <summary>One input row's result: its prediction, or why the server refused it (never dropped).</summary>
/// <param name="Line">The record's line in the input file, for messages.</param>
public sealed record ScoredRow(string Id, long Line, JsonNode? Prediction, int? Version, string? Error);
