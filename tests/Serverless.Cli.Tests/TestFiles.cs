namespace Serverless.Cli.Tests;

/// <summary>A folder of its own per test under the system temp folder, removed when disposed.</summary>
public sealed class TestFiles : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mlops-cli-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A CSV shipped with the tests (Data/): iris and diabetes from scikit-learn, and a messy loans file.</summary>
    public static string Data(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
