using System.Diagnostics;

namespace Serverless.Functions.Tests;

/// <summary>
/// <c>dotnet publish --no-build</c> of the functions project into a temporary folder: what azd zips for Flex
/// Consumption, taken from the build this test project already made (about a second; a full publish is not needed).
/// </summary>
public sealed class FunctionsPublish : IDisposable
{
    public FunctionsPublish()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"functions-publish-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "publish", Path.Combine(FunctionsBuild.RepositoryRoot, "functions", "Serverless.Functions.csproj"),
                "--no-build", "--configuration", FunctionsBuild.Configuration, "--output", Directory, "-v:q", "-nologo",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var result = ChildProcess.Run(start, TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
        {
            Dispose(); // xunit does not dispose a fixture whose constructor threw
            Assert.Fail($"dotnet publish failed ({result.ExitCode}):\n{result.Output}");
        }
    }

    public string Directory { get; }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
