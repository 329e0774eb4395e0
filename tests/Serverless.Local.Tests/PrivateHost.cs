using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// A local host on an Azurite of its own, for tests that change storage under the host (delete a container), which
/// the test process's shared Azurite must not see while other hosts use it.
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
