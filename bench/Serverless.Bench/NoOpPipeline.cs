using Microsoft.DurableTask;

namespace Serverless.Bench;

/// <summary>
/// The training pipeline's shape without its work: N sequential activities, each bracketed by a custom-status
/// update like <c>TrainingPipeline.Step</c>, so what remains is the backend's per-activity cost.
/// </summary>
internal static class NoOpPipeline
{
    public const string Name = "BenchNoOpPipeline";
    public const string Activity = "BenchNoOp";

    public static void AddNoOpPipeline(this DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<int, int>(Name, RunAsync);
        registry.AddActivityFunc<int, int>(Activity, (_, step) => step);
    }

    private static async Task<int> RunAsync(TaskOrchestrationContext context, int activities)
    {
        var done = 0;
        for (var step = 0; step < activities; step++)
        {
            context.SetCustomStatus(new { step, status = "running" });
            done += await context.CallActivityAsync<int>(Activity, step) >= 0 ? 1 : 0;
            context.SetCustomStatus(new { step, status = "completed" });
        }

        return done;
    }
}
