using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Serverless.Bench;

/// <summary>Prints the measurements as one table and writes them to <c>bench/results/{name}.json</c> and <c>.md</c>.</summary>
internal static class ResultsReport
{
    public static string Table(IReadOnlyList<Measurement> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| area | metric | value | goal | status | note |");
        sb.AppendLine("|---|---|--:|---|---|---|");
        foreach (var m in results)
        {
            sb.AppendLine($"| {m.Area} | {m.Metric} | {m.ValueText} | {m.Goal} | {m.Status} | {m.Note} |");
        }

        return sb.ToString();
    }

    public static void Print(IReadOnlyList<Measurement> results)
    {
        Console.WriteLine();
        Console.Write(Table(results));
        Console.WriteLine();
        Console.WriteLine($"{results.Count(m => m.Pass == true)} PASS, {results.Count(m => m.Pass == false)} MISS; {Environment.ProcessorCount} cores visible.");
    }

    /// <summary>1-minute load average (Linux), recorded because other processes on a 2-core machine skew every figure.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    public static void Write(string root, string name, IReadOnlyList<Measurement> results, TimeSpan elapsed, string loadAtStart)
    {
        var dir = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(dir);
        var machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
        var document = new
        {
            command = $"dotnet run -c Release --project bench/Serverless.Bench -- {name}",
            measuredAt = DateTimeOffset.UtcNow,
            machine,
            elapsedSeconds = Math.Round(elapsed.TotalSeconds, 1),
            loadAverage = new { start = loadAtStart, end = LoadAverage() },
            results = results.Select(m => new { m.Area, m.Metric, m.Value, m.Unit, m.Goal, status = m.Status, m.Note }),
        };
        var options = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var file = name == "all" ? "latest" : name;
        File.WriteAllText(Path.Combine(dir, file + ".json"), JsonSerializer.Serialize(document, options) + "\n");
        File.WriteAllText(Path.Combine(dir, file + ".md"), $"# Benchmark results\n\n`{document.command}` on {machine}, {document.measuredAt:u}, {document.elapsedSeconds} s; 1-minute load average {loadAtStart} at start, {document.loadAverage.end} at end.\n\n{Table(results)}");
        Console.WriteLine($"Wrote bench/results/{file}.json and {file}.md");
    }
}
