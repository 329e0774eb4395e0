using System.Net;
using System.Net.Sockets;

namespace Serverless.Local.Hosting;

/// <summary>The sidecar's loopback address, fixed before DI is built because the worker's gRPC channel needs it.</summary>
public sealed class SidecarEndpoint
{
    public SidecarEndpoint(int port)
    {
        Port = port == 0 ? FreePort() : port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
