namespace Serverless.Core.Scoring;

/// <summary>One named input of an exported model; one per spec feature.</summary>
public sealed record ModelInput(string Name, ModelInputType Type);
