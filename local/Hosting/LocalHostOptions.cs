namespace Serverless.Local.Hosting;

/// <summary>Bound from configuration section <c>LocalHost</c> (appsettings, environment, or command line).</summary>
public sealed class LocalHostOptions
{
    public const string Section = "LocalHost";

    /// <summary>The API's port; 7071 matches <c>func start</c>, so scripts work against either host.</summary>
    public int Port { get; set; } = 7071;

    /// <summary>
    /// The <c>x-api-key</c> value for scoring routes (predict, model details, feedback). Unset: read from or generated
    /// into <see cref="KeysDirectory"/> (<see cref="LocalApiKeys"/>). Both keys empty turns the check off.
    /// </summary>
    public string? ScoringKey { get; set; }

    /// <summary>The <c>x-api-key</c> value for every route (admin includes scoring); unset: as <see cref="ScoringKey"/>.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Where generated keys are kept, relative to the repository root (git-ignored).</summary>
    public string KeysDirectory { get; set; } = ".local";

    public string StorageConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Durable task hub name (letters and digits, 3–45 chars).</summary>
    public string TaskHub { get; set; } = "serverlessml";

    /// <summary>
    /// How long a dequeued durable message (work-item and control queues) stays invisible. A running activity's or
    /// orchestration episode's messages are renewed every third of it (<see cref="WorkItemLockRenewal"/>), so long
    /// activities run once; after a crash, what the dead host held is redelivered once this passes (the Azure Storage
    /// backend's default is 5 minutes).
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest the durable backend waits between polls of an empty queue (it backs off towards this while idle).
    /// A run started after an idle spell, and each step's hand-off after a long activity, waits up to this for the
    /// next poll: 100 ms (was 500, the bench's run start took 0.08 s of it) costs Azurite about ten idle reads a
    /// second per queue.
    /// </summary>
    public TimeSpan DurableQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Port of the in-process DurableTask gRPC sidecar; 0 picks a free one.</summary>
    public int SidecarPort { get; set; }

    /// <summary>How often the drop watcher lists <c>datasets/*/incoming/</c>.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A plain folder watched for drops (<see cref="DropFolderWatcher"/>): <c>cp data.csv drop/churn/</c> trains churn.
    /// Relative to the repository root like <see cref="KeysDirectory"/>, or absolute; empty turns it off.
    /// </summary>
    public string DropFolder { get; set; } = "drop";

    /// <summary>How often due drift checks are looked for (each model's own NCRONTAB schedule decides when it runs).</summary>
    public TimeSpan MonitoringInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Run the background loops (drop watcher, monitoring timer, GPU result relay, GPU trainer). Off only for a second
    /// host sharing one storage account with another, which must not claim the first one's drops and results.
    /// </summary>
    public bool BackgroundServices { get; set; } = true;

    /// <summary>Run the GPU trainer's worker in this process (on the CPU compute) for mlp and compute=gpu runs.</summary>
    public bool RunGpuTrainer { get; set; } = true;

    /// <summary>
    /// How long stopping may take (<see cref="Microsoft.Extensions.Hosting.HostOptions.ShutdownTimeout"/>): every hosted
    /// service's stop path gives up when it passes, storage reachable or not (unwritten prediction-log rows are
    /// counted as dropped).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Start the repository's pinned Azurite when nothing listens on the blob port.</summary>
    public bool StartAzurite { get; set; } = true;

    /// <summary>Where a launched Azurite keeps its data (relative to the repository root), so runs survive restarts.</summary>
    public string AzuriteLocation { get; set; } = ".azurite";
}
