using System.Text.RegularExpressions;

namespace Serverless.Infra.Tests;

/// <summary>Static checks on the container images (no Docker engine here).</summary>
public sealed partial class DockerfileTests
{
    private sealed record Stage(string Image, string? Name, List<(string Instruction, string Args)> Lines);

    private static List<Stage> Parse(string service)
    {
        var text = Repo.ReadText("containers", service, "Dockerfile");
        // Join continuation lines, drop comments.
        var logical = Regex.Replace(text, @"\\\r?\n(\s*#.*\r?\n)*", " ").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
        var stages = new List<Stage>();
        foreach (var line in logical)
        {
            var space = line.IndexOf(' ');
            var (instruction, args) = (line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
            if (instruction == "FROM")
            {
                var m = From().Match(args);
                Assert.True(m.Success, $"cannot read FROM {args}");
                stages.Add(new Stage(m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null, []));
            }
            else
            {
                Assert.NotEmpty(stages);
                stages[^1].Lines.Add((instruction, args));
            }
        }

        return stages;
    }

    [Theory]
    [InlineData("scorer")]
    [InlineData("trainer")]
    public void Image_is_multi_stage_pinned_non_root_and_linux_x64_only(string service)
    {
        var stages = Parse(service);
        Assert.True(stages.Count >= 2, "multi-stage build expected");
        var build = stages[0];
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", build.Image);
        Assert.Equal("build", build.Name);
        foreach (var s in stages)
        {
            // Pinned: an explicit version tag (or digest), never latest or a floating major.minor.
            Assert.Matches(@"(:\d+\.\d+\.\d+[^\s]*$)|(@sha256:[0-9a-f]{64}$)", s.Image);
        }

        var publish = Assert.Single(build.Lines, l => l.Instruction == "RUN" && l.Args.Contains("dotnet publish"));
        Assert.Contains("--runtime linux-x64", publish.Args);
        Assert.Contains("/app/runtimes", publish.Args);

        var runtime = stages[^1];
        Assert.NotEqual("build", runtime.Name);
        Assert.Contains(runtime.Lines, l => l.Instruction == "COPY" && l.Args.Contains("--from=build"));
        Assert.DoesNotContain(runtime.Lines, l => l.Args.Contains("dotnet publish") || l.Args.Contains("dotnet build"));
        var user = runtime.Lines.Last(l => l.Instruction == "USER").Args;
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        Assert.Equal("ENTRYPOINT", runtime.Lines[^1].Instruction);

        // Every source the build copies exists (the context is the repository root).
        foreach (var copy in build.Lines.Where(l => l.Instruction == "COPY"))
        {
            foreach (var src in copy.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            {
                Assert.True(File.Exists(Repo.Path(src)) || Directory.Exists(Repo.Path(src)), $"{service}: COPY source {src} does not exist");
            }
        }
    }

    [Fact]
    public void Scorer_runtime_provides_cuda_13_and_cudnn_9_for_onnx_runtime_gpu()
    {
        var runtime = Parse("scorer")[^1];
        // nvidia/cuda "cudnn" tags for CUDA 13 carry cuDNN 9; "runtime" has cudart/cublas/curand .so.13/.so.10.
        Assert.Matches(@"^nvidia/cuda:13\.\d+\.\d+-cudnn-runtime-ubuntu\d+\.\d+$", runtime.Image);
        var publish = Parse("scorer")[0].Lines.Single(l => l.Args.Contains("dotnet publish")).Args;
        Assert.Contains("--self-contained true", publish);
        Assert.Contains(runtime.Lines, l => l.Instruction == "ENV" && l.Args.Contains("ASPNETCORE_HTTP_PORTS=8080"));
    }

    [Fact]
    public void Trainer_runtime_has_libgomp_for_lightgbm()
    {
        var runtime = Parse("trainer")[^1];
        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime:", runtime.Image);
        Assert.Contains(runtime.Lines, l => l.Instruction == "RUN" && l.Args.Contains("apt-get install") && l.Args.Contains("libgomp1"));
    }

    [Fact]
    public void Docker_context_excludes_build_outputs()
    {
        var ignore = Repo.ReadText(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
        Assert.Contains(".git/", ignore);
    }

    [GeneratedRegex(@"^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\w+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex From();
}
