using Serverless.Core.Promotion;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>Registers the candidate as the model's next version (<see cref="ModelRegistration"/>).</summary>
public sealed class RegisterModel(ModelRegistration registration) : PipelineActivity<RegisterRequest, int>
{
    public const string Name = "RegisterModel";

    protected override string Step => PipelineSteps.Register;

    protected override RunRef Subject(RegisterRequest input) => new(input.RunId, input.Model);

    protected override Task<int> ExecuteAsync(RegisterRequest request, CancellationToken ct) => registration.RegisterAsync(request, ct);
}
