using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Serverless.Tests.Shared;
using Serverless.Core.Scoring;
using Serverless.Core.Telemetry;

namespace Serverless.Scorer.Tests;

/// <summary>No GPU (nor a CUDA build of ONNX Runtime) here: auto falls back to CPU and says so; cuda refuses.</summary>
[Collection(ScorerCollection.Name)]
public sealed class ExecutionProviderTests(ScorerFixture host)
{
    [Fact]
    public void Auto_falls_back_to_cpu_with_the_reason_and_cuda_fails_loudly()
    {
        using var auto = new OnnxModel(TinyModel.Onnx, null, null, ExecutionProvider.Auto);
        Assert.Equal(ExecutionProvider.Cpu, auto.Provider);
        Assert.False(string.IsNullOrEmpty(auto.CudaUnavailableReason));

        using var cpu = new OnnxModel(TinyModel.Onnx, null, null, ExecutionProvider.Cpu);
        Assert.Equal(ExecutionProvider.Cpu, cpu.Provider);
        Assert.Null(cpu.CudaUnavailableReason);

        var e = Assert.Throws<InvalidOperationException>(() => new OnnxModel(TinyModel.Onnx, null, null, ExecutionProvider.Cuda));
        Assert.Contains("CUDA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scorer_logs_and_tags_its_predictions_with_the_cpu_provider()
    {
        var tagged = new List<string?>();
        var gauge = new List<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i, PlatformTelemetry.Predictions) || ReferenceEquals(i, PlatformTelemetry.ScoringProvider)) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray();
            if (t.Any(x => x.Key == "model" && (string?)x.Value == host.Model))
            {
                lock (tagged) tagged.Add((string?)t.Single(x => x.Key == "provider").Value);
            }
        });
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            lock (gauge) gauge.Add((string?)tags.ToArray().Single(x => x.Key == "provider").Value);
        });
        listener.Start();

        var response = await host.Scorer.PostAsync($"/api/models/{host.Model}/predict", new StringContent("""{"rows":[{"x":1}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        listener.RecordObservableInstruments();

        lock (tagged) Assert.Contains("cpu", tagged);
        lock (gauge) Assert.Equal(["cpu"], gauge);
        var line = Assert.Single(host.Logs.Lines, l => l.Contains("execution provider", StringComparison.Ordinal));
        Assert.Contains("cpu execution provider (requested auto; CUDA unavailable", line, StringComparison.Ordinal);
    }
}
