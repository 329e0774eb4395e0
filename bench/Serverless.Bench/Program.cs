using Serverless.Bench;

return args.FirstOrDefault() switch
{
    "drift" => DriftBench.Run(),
    "batching" => await BatchingBench.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Serverless.Bench -- drift|batching");
    return 2;
}
