using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// A local host on an Azurite of its own, for tests whose drops must not be seen by any other host (the shared
/// Azurite's watchers scan every model's incoming folder) or that change storage under the host.
/// </summary>
public sealed class PrivateHost : IAsyncLifetime
{
    private readonly PrivateAzurite _azurite = new(inMemory: true);

    public LocalHostFixture Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.StartAsync();
        Host = new LocalHostFixture { ConnectionString = _azurite.ConnectionString };
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PrivateHostCollection : ICollectionFixture<PrivateHost>
{
    public const string Name = "private host";
}
