namespace Serverless.Trainer;

/// <summary>Bound from section <c>Trainer</c> (environment: <c>Trainer__Device</c>; infra/app/trainer.bicep sets cuda).</summary>
public sealed class TrainerDeviceOptions
{
    public const string Section = "Trainer";

    public TrainerDevice Device { get; set; } = TrainerDevice.Auto;
}
