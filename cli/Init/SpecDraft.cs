using System.Text.Json.Nodes;

namespace Serverless.Cli.Init;

/// <summary>A draft spec and how each column was read (for the table <c>init</c> prints and for its JSON output).</summary>
public sealed record SpecDraft(JsonObject Spec, IReadOnlyList<ColumnDecision> Columns, string Label, string Task, string? PositiveClass, long Rows, string? IdColumn);

/// <param name="Kind">What the column became; for the label, the label's kind.</param>
/// <param name="Note">Why, or what to check by hand.</param>
public sealed record ColumnDecision(string Name, ColumnKind Kind, bool IsLabel, bool Nullable, string Summary, string? Note);
