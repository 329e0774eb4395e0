using System.Diagnostics;
using System.Text.Json;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Ingest;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Bench;

/// <summary>
/// Issue #11, ingest: the run's ingest step (<see cref="IngestService"/>: hash pass, contract + row-group snapshot as
/// staged blocks, archive copy) on 1M and 10M synthetic rows and on a ≥ 2 GB CSV, against the bench's own Azurite on
/// disk; and the CSV parse + contract alone. Each measurement runs in a child process, so its peak RSS (VmHWM) is the
/// step's own, with the managed heap sampled beside it to show where memory goes.
/// <c>dotnet run -c Release --project bench/Serverless.Bench -- ingest [DIR]</c> (datasets are generated into DIR,
/// default /tmp/serverless-ingest-bench, once).
/// </summary>
internal static class IngestBench
{
    public const string Area = "ingest";
    public const string ChildMode = "ingest-child";
    private const string ResultPrefix = "INGEST-RESULT ";
    private const double PeakGoalMiB = 512;
    private const double ContractGoalRowsPerCoreSecond = 1_000_000;
    private const long TwoGiB = 2L << 30;

    private static readonly (string Name, long Rows)[] Datasets = [("1M rows", 1_000_000), ("10M rows", 10_000_000), ("≥ 2 GB CSV", 16_600_000)];

    public static async Task<IReadOnlyList<Measurement>> RunAsync(string[] args)
    {
        var dir = args.FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "serverless-ingest-bench");
        var only = args.Length > 1 ? args[1..] : null;
        var results = new List<Measurement>();
        var files = new List<(string Name, string Csv, string Spec)>();
        foreach (var (name, rows) in Datasets)
        {
            var folder = Path.Combine(dir, rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var csv = Path.Combine(folder, SyntheticDataset.CsvName);
            if (!File.Exists(csv) || !File.Exists(Path.Combine(folder, "model.json")))
            {
                Console.WriteLine($"Ingest: generating {name} into {folder}...");
                SyntheticDataset.Run([rows.ToString(System.Globalization.CultureInfo.InvariantCulture), folder]);
            }

            files.Add((name, csv, Path.Combine(folder, "model.json")));
        }

        var big = new FileInfo(files[^1].Csv).Length;
        if (big < TwoGiB)
        {
            Console.WriteLine($"Ingest: the largest file is {big} bytes, under 2 GiB; generate more rows.");
        }

        // CSV parse + contract alone, on one thread: rows per CPU-second of the process is the per-core rate.
        if (only is null || only.Contains("contract"))
        {
            var contract = await InChildAsync(["contract", files[0].Csv, files[0].Spec]);
            var perCore = contract.Rows / contract.ThreadCpuSeconds;
            results.Add(Measurement.AtLeast(Area, "CSV parse + contract, 1M rows, per core (rows per CPU-second of the parsing thread)", perCore, " rows/s", ContractGoalRowsPerCoreSecond,
                $"{contract.Bytes / contract.ThreadCpuSeconds / 1048576:F0} MB per CPU-second; wall {contract.Seconds:F2} s with the snapshot encoded (to nowhere) on a second thread, process CPU {contract.CpuSeconds:F1} s, peak RSS {contract.PeakRssMiB:F0} MiB"));
        }

        await using var azurite = new PrivateAzurite(inMemory: false);
        await azurite.StartAsync();
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var storage = new PlatformStorage(blobs);
        await storage.EnsureContainersAsync(CancellationToken.None);
        foreach (var (name, csv, specPath) in files)
        {
            if (only is not null && !only.Any(o => name.StartsWith(o, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var model = $"ingest-{new FileInfo(csv).Length}";
            var parsed = ModelSpecValidator.Parse(File.ReadAllText(specPath));
            await new ModelSpecStore(storage).PutAsync(model, parsed.Spec!, CancellationToken.None);
            var blob = storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, SyntheticDataset.CsvName));
            Console.WriteLine($"Ingest: uploading {name} ({new FileInfo(csv).Length / 1048576.0:N0} MiB) to the bench's Azurite...");
            await blob.UploadAsync(csv, new BlobUploadOptions { TransferOptions = new StorageTransferOptions { InitialTransferSize = 8 << 20, MaximumTransferSize = 8 << 20, MaximumConcurrency = 4 } });

            var r = await InChildAsync(["service", azurite.ConnectionString, model, blob.Name], HeapLimitMiB());
            var mib = r.Bytes / 1048576.0;
            var where = $"GC heap peak {r.PeakGcHeapMiB:F0} MiB, GC committed peak {r.PeakGcCommittedMiB:F0} MiB, rest (runtime, native, buffers) ≈ {r.PeakRssMiB - r.PeakGcCommittedMiB:F0} MiB";
            var limited = HeapLimitMiB() is { } l ? $" (GC heap hard limit {l} MiB)" : "";
            results.Add(Measurement.AtMost(Area, $"ingest step, {name}: peak RSS{limited}", r.PeakRssMiB, " MiB", PeakGoalMiB,
                $"{r.Rows:N0} rows, {mib:N0} MiB, {r.Verdict}; {where}"));
            results.Add(new Measurement(Area, $"ingest step, {name}: rows/s (hash pass + contract/snapshot + archive)", r.Rows / r.Seconds, " rows/s",
                Note: $"{r.Seconds:F1} s wall = {mib / r.Seconds:F0} MB/s; hash pass {r.HashSeconds:F1} s, IngestAsync (contract + snapshot, then archive copy) {r.ValidateSeconds:F1} s, CPU {r.CpuSeconds:F1} s"));

            results.Add(new Measurement(Area, $"archive copy, {name}: streamed through the process ÷ server-side Copy Blob (Azurite)", r.StreamedCopySeconds / r.ServerCopySeconds, "×",
                Note: $"streamed {r.StreamedCopySeconds:F1} s, server-side {r.ServerCopySeconds:F2} s; measured after the step, outside its figures"));

            // The next file needs the disk more than these blobs.
            await foreach (var item in storage.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, model + "/", default))
            {
                await storage.Datasets.DeleteBlobIfExistsAsync(item.Name);
            }

            await foreach (var item in storage.Processed.GetBlobsAsync(BlobTraits.None, BlobStates.None, model + "/", default))
            {
                await storage.Processed.DeleteBlobIfExistsAsync(item.Name);
            }
        }

        return results;
    }

    /// <summary>The child: one measurement, its figures on stdout as JSON.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        using var sampler = new MemorySampler();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        ChildResult result;
        if (args[0] == "contract")
        {
            // As ingest runs it (rows leave in row groups), with the snapshot encoded to nowhere on its own thread:
            // the parsing thread's CPU time is the parse + contract cost alone.
            var spec = ModelSpecValidator.Parse(File.ReadAllText(args[2])).Spec!;
            await using var file = new FileStream(args[1], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await using var snapshot = new SnapshotWriter(DatasetContract.SnapshotColumns(spec), Stream.Null, new IngestOptions().SnapshotRowGroupRows, CancellationToken.None);
            var thread = ThreadCpuSeconds();
            var contract = DatasetContract.Validate(file, "synthetic.csv", spec, DatasetLimits.Default, snapshot, CancellationToken.None);
            var parsing = ThreadCpuSeconds() - thread;
            await snapshot.CompleteAsync();
            result = Measured(new ChildResult(contract.Report.TotalRows, file.Length, contract.Report.Verdict, 0, 0) { ThreadCpuSeconds = parsing }, sw, cpu, sampler);
        }
        else
        {
            var storage = new PlatformStorage(new BlobServiceClient(args[1]));
            var specs = new ModelSpecStore(storage);
            var service = new IngestService(storage, specs, NullLogger<IngestService>.Instance, Options.Create(new IngestOptions()));
            var blob = storage.Datasets.GetBlobClient(args[3]);
            var read = await DropContent.ReadAsync(blob, service.Options, CancellationToken.None);
            var hashed = sw.Elapsed.TotalSeconds;
            var input = new PipelineInput($"{args[2]}-{read.Sha256}", args[2], read.Sha256, SyntheticDataset.CsvName, DateTimeOffset.UtcNow, blob.Name);
            var validating = Stopwatch.StartNew();
            var ingested = await service.IngestAsync(input, new DroppedFile(blob, read.Version), read.Content, await specs.TryLoadAsync(args[2], CancellationToken.None), CancellationToken.None);
            var report = await BlobJson.DownloadAsync<ValidationReport>(storage.Processed.GetBlobClient(BlobLayout.ProcessedPrefix(args[2], read.Sha256) + BlobLayout.ReportName), CancellationToken.None);
            result = new ChildResult(report.TotalRows, read.Content.Length, ingested.Outcome.Verdict, hashed, validating.Elapsed.TotalSeconds);

            // The step's figures end here; the copies below are measured on their own.
            result = Measured(result, sw, cpu, sampler);

            // The archive copy two ways, after the step (outside its figures): streamed through this process, as
            // ingest does, and server-side (Copy Blob, source conditioned on the hashed version).
            var copying = Stopwatch.StartNew();
            await using (var source = await read.Content.OpenAsync(CancellationToken.None))
            {
                await storage.Processed.GetBlobClient($"{args[2]}/copy-streamed").UploadAsync(source, new BlobUploadOptions { TransferOptions = read.Content.TransferOptions });
            }

            var streamedCopy = copying.Elapsed.TotalSeconds;
            copying.Restart();
            var copy = await storage.Processed.GetBlobClient($"{args[2]}/copy-server-side").StartCopyFromUriAsync(blob.Uri, new BlobCopyFromUriOptions { SourceConditions = new BlobRequestConditions { IfMatch = read.Version } });
            await copy.WaitForCompletionAsync();
            result = result with { StreamedCopySeconds = streamedCopy, ServerCopySeconds = copying.Elapsed.TotalSeconds };
        }

        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>INGEST_HEAP_LIMIT_MIB: run the ingest child under a GC heap hard limit, to tell live data from uncollected garbage.</summary>
    private static int? HeapLimitMiB() =>
        int.TryParse(Environment.GetEnvironmentVariable("INGEST_HEAP_LIMIT_MIB"), out var mib) ? mib : null;

    private static ChildResult Measured(ChildResult result, Stopwatch sw, TimeSpan cpu, MemorySampler sampler) => result with
    {
        Seconds = sw.Elapsed.TotalSeconds,
        CpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
        PeakRssMiB = MemorySampler.PeakRssMiB(),
        PeakGcHeapMiB = sampler.PeakHeapMiB,
        PeakGcCommittedMiB = sampler.PeakCommittedMiB,
    };

    private static async Task<ChildResult> InChildAsync(string[] args, int? heapLimitMiB = null)
    {
        var self = Environment.ProcessPath!;
        var psi = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self, [typeof(IngestBench).Assembly.Location, ChildMode, .. args])
            : new ProcessStartInfo(self, [ChildMode, .. args]);
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;

        // Workstation GC, as a Functions worker runs (the bench itself uses server GC, like the local host).
        psi.Environment["DOTNET_gcServer"] = "0";
        if (heapLimitMiB is { } limit)
        {
            // Documented runtime knob (hexadecimal bytes): https://learn.microsoft.com/dotnet/core/runtime-config/garbage-collector#heap-hard-limit
            psi.Environment["DOTNET_GCHeapHardLimit"] = ((long)limit << 20).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        }

        using var child = Process.Start(psi)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The ingest child exited {child.ExitCode} without results:\n{output}");
        var result = JsonSerializer.Deserialize<ChildResult>(line[ResultPrefix.Length..])!;
        Console.WriteLine($"  {args[0]}: {result.Rows:N0} rows in {result.Seconds:F1} s, peak RSS {result.PeakRssMiB:F0} MiB ({result.Verdict})");
        return result;
    }

    private sealed record ChildResult(long Rows, long Bytes, string Verdict, double HashSeconds, double ValidateSeconds)
    {
        public double Seconds { get; init; }

        public double CpuSeconds { get; init; }

        public double PeakRssMiB { get; init; }

        public double PeakGcHeapMiB { get; init; }

        public double PeakGcCommittedMiB { get; init; }

        public double ThreadCpuSeconds { get; init; }

        public double StreamedCopySeconds { get; init; }

        public double ServerCopySeconds { get; init; }
    }

    /// <summary>CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)).</summary>
    private static double ThreadCpuSeconds()
    {
        const int ClockThreadCpuTimeId = 3;
        return ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0 ? ts.Seconds + (ts.Nanoseconds / 1e9) : double.NaN;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>Samples the managed heap every 50 ms (VmHWM has the true RSS peak; this shows the GC's share of it).</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _heap;
        private long _committed;

        public MemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 50);

        public double PeakHeapMiB
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _heap) / 1048576.0;
            }
        }

        public double PeakCommittedMiB
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _committed) / 1048576.0;
            }
        }

        /// <summary>The kernel's peak resident set of this process (/proc/self/status VmHWM), in MiB.</summary>
        public static double PeakRssMiB()
        {
            var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            Max(ref _heap, GC.GetTotalMemory(forceFullCollection: false));
            Max(ref _committed, GC.GetGCMemoryInfo().TotalCommittedBytes);
        }

        private static void Max(ref long target, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
