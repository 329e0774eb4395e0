namespace Serverless.Core.Registry;

/// <summary>The answer to a conditional alias move.</summary>
/// <param name="Moved">The alias now points at the requested version (moved now, or already there).</param>
/// <param name="Current">The version the alias points at after the call (unchanged when not moved).</param>
/// <param name="Change">The history entry written, when this call moved the alias.</param>
public sealed record AliasMove(bool Moved, int? Current, AliasChange? Change);
