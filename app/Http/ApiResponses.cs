namespace Serverless.App.Http;

public sealed record HealthResponse(string Status, string Version);
