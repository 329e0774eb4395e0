using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Training;

// Usage: Serverless.Functions.OpenMpProbe <functions publish folder>
// Resolves every assembly and native library through the folder's own Serverless.Functions.deps.json, runs the
// worker's startup preload, fits a small LightGBM model and prints which libgomp/lib_lightgbm files got mapped.
if (args.Length != 1 || !File.Exists(Path.Combine(args[0], "Serverless.Functions.dll")))
{
    Console.Error.WriteLine("usage: Serverless.Functions.OpenMpProbe <folder holding Serverless.Functions.dll>");
    return 64;
}

var functions = Path.GetFullPath(args[0]);
var resolver = new AssemblyDependencyResolver(Path.Combine(functions, "Serverless.Functions.dll"));
AssemblyLoadContext.Default.Resolving += (context, name) =>
    resolver.ResolveAssemblyToPath(name) is { } path ? context.LoadFromAssemblyPath(path) : null;
AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
    resolver.ResolveUnmanagedDllToPath(name) is { } path ? System.Runtime.InteropServices.NativeLibrary.Load(path) : IntPtr.Zero;

try
{
    return Probe.Run(functions);
}
#pragma warning disable CA1031 // the parent test reads whatever went wrong from the output
catch (Exception e)
#pragma warning restore CA1031
{
    Console.WriteLine($"failed: {e}");
    return 1;
}

internal static class Probe
{
    // Not inlined: core's types must resolve after the handlers above are in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Run(string functions)
    {
        var worker = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(functions, "Serverless.Functions.dll"));
        var preload = worker.GetType("Serverless.Functions.Hosting.OpenMpRuntime", throwOnError: true)!
            .GetMethod("Preload", BindingFlags.Public | BindingFlags.Static)!
            .Invoke(null, [functions]);
        Console.WriteLine($"preload: {preload}");
        Console.WriteLine($"core: {typeof(MlNetTrainer).Assembly.Location}");

        var spec = new ModelSpec
        {
            Task = ModelTask.Binary,
            Label = "y",
            Features = [new FeatureSpec("x", FeatureType.Numeric)],
            Trainer = new TrainerSpec(TrainerKind.LightGbm, null, new Dictionary<string, double> { ["numberOfTrees"] = 5, ["numberOfLeaves"] = 4, ["minimumExampleCountPerLeaf"] = 5 }),
            Holdout = new HoldoutSpec(0.2, 1),
        };
        var x = new float[400];
        var y = new float[400];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i / 400f;
            y[i] = (i * 7919 % 400) < i ? 1 : 0; // mostly 1 for large x, with overlap
        }

        var result = new MlNetTrainer().Train(spec, new TabularDataset([DataColumn.Float("x", x), DataColumn.Float("y", y)]));
        Console.WriteLine($"trained: {result.Onnx.Length} bytes of ONNX");

        // The loader's own record of which files it used.
        foreach (var mapped in File.ReadLines("/proc/self/maps")
                     .Select(line => line[(line.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? i : line.Length)..])
                     .Where(path => path.Contains("libgomp", StringComparison.Ordinal) || path.Contains("lib_lightgbm", StringComparison.Ordinal))
                     .Distinct())
        {
            Console.WriteLine($"mapped: {mapped}");
        }

        return 0;
    }
}
