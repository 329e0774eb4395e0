using Serverless.Local.Demo;
using Serverless.Local.Hosting;

// `demo` runs the sample end to end on top of the normal host; `generate-sample N` rewrites samples/churn/churn.csv.
if (args is ["generate-sample", ..])
{
    var rows = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
    var path = Path.Combine(RepositoryRoot.Find() ?? ".", "samples", DemoRunner.Model, "churn.csv");
    await File.WriteAllTextAsync(path, ChurnSample.GenerateCsv(rows));
    Console.WriteLine($"Wrote {rows} rows to {path}");
    return 0;
}

var demo = args.Contains("demo");
var builder = LocalPlatform.CreateBuilder(args.Where(a => a != "demo").ToArray());
var app = await LocalPlatform.BuildAsync(builder);
if (!demo)
{
    await app.RunAsync();
    return 0;
}

await app.StartAsync();
var code = await DemoRunner.RunAsync(app, app.Lifetime.ApplicationStopping);
if (code == 0)
{
    await app.WaitForShutdownAsync();
}
else
{
    await app.StopAsync();
}

return code;
