using Serverless.App.Intake;
using Serverless.Core.Datasets;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Local.Demo;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// The demo follows the run its drop started. It used to compute the first attempt's id from the bytes, so a
/// returning user whose spec had changed watched the old run finish "in 0.1 s" while a new attempt trained unseen.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class DropRunTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_drop_is_followed_to_the_attempt_it_started_and_a_duplicate_to_the_newest_attempt()
    {
        var model = Azurite.UniqueModel("droprun");
        var bytes = Samples.Csv(800, seed: 41);
        var sha = ContentHash.Sha256Hex(new MemoryStream(bytes, writable: false));

        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        var first = await DropAsync(model, bytes, sha);
        Assert.Equal(DropIntake.RunIdFor(model, sha), first);
        Assert.Equal(RunOutcomes.Promoted, (await host.WaitForRunAsync(first)).Result!.Outcome);

        // Same bytes under a changed spec: a new attempt, which is what the drop must be followed to.
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson(s => s["holdout"] = System.Text.Json.Nodes.JsonNode.Parse("""{"fraction": 0.25, "seed": 7}""")));
        var second = await DropAsync(model, bytes, sha);
        Assert.Equal(DropIntake.RunIdFor(model, sha, 1), second);
        Assert.Equal(RunOutcomes.Promoted, (await host.WaitForRunAsync(second)).Result!.Outcome);

        // Same bytes and spec again: archived as a duplicate, and the newest attempt is the run to show.
        Assert.Equal(second, await DropAsync(model, bytes, sha));
    }

    private async Task<string> DropAsync(string model, byte[] bytes, string sha)
    {
        var upload = await host.Storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "data.csv")).UploadAsync(new BinaryData(bytes), overwrite: true);
        return await DropRun.FindAsync(host.Storage, model, "data.csv", sha, upload.Value.ETag, TimeSpan.FromSeconds(60), default);
    }
}
