using Serverless.Cli;

// `mlops --help` lists the commands; every command takes --endpoint, --key / --entra and --json.
return await CliCommandLine.InvokeAsync(CliCommandLine.Create(CliEnvironment.FromProcess()), args);
