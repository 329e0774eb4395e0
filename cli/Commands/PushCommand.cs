using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Serverless.Cli.Api;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>push FILE --model M</c>: uploads a CSV or Parquet file as a run's dataset, then follows the run.</summary>
public static class PushCommand
{
    public static Command Create(GlobalOptions g, CliEnvironment env)
    {
        var file = new Argument<string>("file") { Description = "The CSV or Parquet file to train on." };
        var model = ModelsCommand.ModelOption();
        var noWait = new Option<bool>("--no-wait") { Description = "Print the run id and return once the upload is accepted." };
        var command = new Command("push", "Upload a dataset (progress bar) and follow the run it starts, step by step, until it ends.") { file, model, noWait };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var path = c.Env.PathOf(p.GetValue(file)!);
            if (!File.Exists(path)) throw new CliInputException($"No file '{path}'.");
            var name = p.GetValue(model)!;
            var started = await UploadAsync(c, name, path, ct).ConfigureAwait(false);
            var runId = JsonText.Of(started["runId"]);
            if (p.GetValue(noWait))
            {
                if (c.Json) c.WriteJson(started);
                else c.Console.MarkupLine($"Run [bold]{Markup.Escape(runId)}[/] started; follow it with: mlops runs watch {Markup.Escape(runId)}");
                return CliExitCodes.Ok;
            }

            if (!c.Json) c.Console.MarkupLine($"[blue]▶[/] Run {Markup.Escape(runId)}");
            var (run, code) = await RunFollower.FollowAsync(c, runId, ct).ConfigureAwait(false);
            if (c.Json) c.WriteJson(run);
            return code;
        });
        return command;
    }

    private static async Task<JsonNode> UploadAsync(CliContext c, string model, string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        var route = $"models/{Uri.EscapeDataString(model)}/runs?fileName={Uri.EscapeDataString(Path.GetFileName(path))}";
        var mediaType = Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "text/csv" : "application/octet-stream";
        if (c.Json)
        {
            using var plain = new ProgressContent(stream, new Progress<long>());
            plain.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return await c.Client.PostAsync(route, plain, ct).ConfigureAwait(false);
        }

        JsonNode? started = null;
        var clock = c.Env.Time.GetTimestamp();
        await c.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"upload {Markup.Escape(Path.GetFileName(path))}", maxValue: Math.Max(1, stream.Length));
                // Synchronous reporting: a Progress<T> would post to the thread pool and could land after the bar is done.
                using var content = new ProgressContent(stream, new SyncProgress(sent => task.Value = sent));
                content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                started = await c.Client.PostAsync(route, content, ct).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);

        // The bar is gone once done (and a console that is not a terminal shows none): say what was sent.
        c.Console.MarkupLine($"[blue]▶[/] Uploaded {Markup.Escape(Path.GetFileName(path))} ({stream.Length / 1024.0:0.#} KiB) in {c.Env.Time.GetElapsedTime(clock).TotalSeconds:0.00} s");
        return started!;
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
