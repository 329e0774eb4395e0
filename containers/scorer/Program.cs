// GPU scorer: the platform's predict API (same handlers as the Functions app) on ONNX Runtime's CUDA provider,
// with dynamic batching and hot-swapped champions. Composition lives in ScorerApp so tests build the same app.
using Serverless.Scorer.Hosting;

var app = ScorerApp.Build(ScorerApp.CreateBuilder(args));
app.Run();
