// GPU scorer host. A later issue adds ONNX Runtime's CUDA execution provider and the predict route;
// for now it serves the health probe the Container App's startup/liveness/readiness probes call.
var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();

app.MapGet("/api/health", () => Results.Ok(new { status = "healthy", service = "scorer" }));

app.Run();

/// <summary>Marker for tests (WebApplicationFactory) without clashing with the other hosts' Program types.</summary>
public partial class Program;
