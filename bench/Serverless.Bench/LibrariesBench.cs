using System.Text;

namespace Serverless.Bench;

/// <summary>
/// Issue #10 item 7: hand-written code against the well-kept library that does the same job (CSV reading, ONNX protobuf,
/// Azure client construction, argument parsing). Writes the figures to bench/results like the other areas and the
/// behaviour tables to bench/results/libraries-tables.md; bench/LIBRARIES.md holds the decisions.
/// </summary>
internal static class LibrariesBench
{
    public const string Mode = "libraries";

    public static IReadOnlyList<Measurement> Run(string root, string[] parts)
    {
        var results = new List<Measurement>();
        var tables = new StringBuilder();
        bool Wants(string part) => parts.Length == 0 || parts.Contains(part);
        if (Wants("csv"))
        {
            var (r, t) = CsvLibrariesBench.Run(root);
            results.AddRange(r);
            tables.AppendLine("## CSV").AppendLine().AppendLine(t);
        }

        if (Wants("azure"))
        {
            var (r, t) = AzureClientsBench.Run();
            results.AddRange(r);
            tables.AppendLine("## Azure clients").AppendLine().AppendLine(t);
        }

        if (Wants("cli"))
        {
            var (r, t) = CommandLineBench.Run();
            results.AddRange(r);
            tables.AppendLine("## Command line").AppendLine().AppendLine(t);
        }

        var dir = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "libraries-tables.md"), tables.ToString());
        return results;
    }
}
