using System.Net.Sockets;
using Azure.Storage.Blobs;

namespace Serverless.Tests.Shared;

/// <summary>
/// The test process's own Azurite: the repository's pinned copy, in memory, on free ports with an account made up
/// for this run. Tests never touch 10000–10002, so a developer's running host (or another test run) and the tests
/// cannot process each other's drops. The connection string is fixed before start, so fixtures can read it early.
/// </summary>
public static class Azurite
{
    private static readonly PrivateAzurite Instance = new(inMemory: true);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _started;

    public static string ConnectionString => Instance.ConnectionString;

    public static async Task EnsureRunningAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_started)
            {
                return;
            }

            await Instance.StartAsync();
            _started = true;

            // In memory: nothing to flush, so the process can simply go with the test host.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Instance.Kill();
        }
        finally
        {
            Gate.Release();
        }
    }

    public static BlobServiceClient Blobs() => new(ConnectionString);

    /// <summary>A model name no other test uses, so tests can share the run's containers.</summary>
    public static string UniqueModel(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    public static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Serverless.sln) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Whether something accepts connections on every one of <paramref name="ports"/>.</summary>
    public static async Task<bool> ListeningAsync(IEnumerable<int> ports)
    {
        foreach (var port in ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
