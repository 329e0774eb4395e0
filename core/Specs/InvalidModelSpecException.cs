namespace Serverless.Core.Specs;

/// <summary>A model's stored spec does not pass validation; the message names the model and every problem.</summary>
public sealed class InvalidModelSpecException(string model, IReadOnlyList<SpecProblem> problems)
    : Exception($"The stored spec of '{model}' is invalid ({problems.Count} problem(s)): "
        + string.Join("; ", problems.Take(10).Select(p => $"{p.Path}: {p.Message}"))
        + (problems.Count > 10 ? "; …" : "") + $" PUT /api/models/{model} with a corrected spec.")
{
    public string Model { get; } = model;

    public IReadOnlyList<SpecProblem> Problems { get; } = problems;
}
