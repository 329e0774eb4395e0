using System.Xml.Linq;
using Serverless.Tests.Shared;

namespace Serverless.Scorer.Tests;

/// <summary>The CUDA build of ONNX Runtime ships with the scorer image and nowhere else.</summary>
public sealed class ScorerProjectTests
{
    [Fact]
    public void The_gpu_package_is_private_to_the_scorer_yet_published()
    {
        var project = XDocument.Load(Path.Combine(Azurite.FindRoot(), "containers", "scorer", "Serverless.Scorer.csproj"));
        var gpu = Assert.Single(project.Descendants("PackageReference"), r => (string?)r.Attribute("Include") == "Microsoft.ML.OnnxRuntime.Gpu.Linux");
        Assert.Equal("all", (string?)gpu.Attribute("PrivateAssets"));
        // Without it the SDK drops PrivateAssets="all" packages from publish: an image with no libonnxruntime.so.
        Assert.Equal("true", (string?)gpu.Attribute("Publish"));
        Assert.DoesNotContain(project.Descendants("PackageReference"), r => (string?)r.Attribute("Include") == "Microsoft.ML.OnnxRuntime");

        // This (CPU) test host got the CPU natives, not the 284 MB CUDA provider.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so")));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "libonnxruntime_providers_cuda.so")));
    }
}
