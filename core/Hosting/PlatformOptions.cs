namespace Serverless.Core.Hosting;

/// <summary>What every host of the platform sets the same way: where storage is (the settings name; limits and schedules have their own sections).</summary>
public sealed class PlatformOptions
{
    /// <summary>The Functions host's own storage setting, which the scorer and the trainer job share in Azure.</summary>
    public const string DefaultStorageConnection = "AzureWebJobsStorage";

    /// <summary>
    /// The settings name storage comes from: a connection string, or (in Azure) the <c>{name}__blobServiceUri</c> +
    /// optional <c>__clientId</c> identity-based form (<see cref="Storage.StorageClients"/>).
    /// </summary>
    public string StorageConnection { get; set; } = DefaultStorageConnection;
}
