using Serverless.Local;

// `demo` runs the sample end to end on top of the normal host; `generate-sample N` rewrites samples/churn/churn.csv;
// `--help` lists them. Other arguments are host configuration.
return await LocalCommandLine.InvokeAsync(LocalCommandLine.Create(), args);
