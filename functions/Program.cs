using Microsoft.Extensions.Hosting;
using Serverless.Functions.Hosting;

FunctionsHost.CreateBuilder(args).Build().Run();
