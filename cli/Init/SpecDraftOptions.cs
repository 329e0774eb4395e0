namespace Serverless.Cli.Init;

/// <param name="Label">The label column; null: a column named like a label, else the last one.</param>
/// <param name="PositiveClass">A binary label's positive class; null: inferred.</param>
/// <param name="Task">binary, multiclass or regression; null: inferred from the label's values.</param>
/// <param name="TopCategories">Categories kept per categorical column; beyond them unknown categories are allowed.</param>
/// <param name="MaxCategories">More distinct strings than this makes a column text, not categorical.</param>
/// <param name="Ranges">Write each numeric feature's observed min and max (rows outside them are then refused).</param>
public sealed record SpecDraftOptions(string? Label = null, string? PositiveClass = null, string? Task = null, int TopCategories = 20, int MaxCategories = 200, bool Ranges = true);
