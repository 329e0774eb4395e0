using System.Net;
using System.Net.Http.Json;
using Serverless.App.Datasets;
using Serverless.App.Intake;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Runs;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Dataset versions and quarantined drops as the console reads them, on the real host and Azurite.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class DatasetsApiTests(LocalHostFixture host)
{
    [Fact]
    public async Task An_accepted_drop_is_a_dataset_version_with_its_manifest_and_validation_report()
    {
        var model = Azurite.UniqueModel("ds");
        await host.PutSpecAsync(model, Samples.SpecJson());
        // Two rows out of 400 with an unknown contract: accepted, the two rows dropped and listed.
        var csv = System.Text.Encoding.UTF8.GetString(Samples.Csv(400, seed: 11)).Split('\n');
        foreach (var i in new[] { 3, 7 })
        {
            var cells = csv[i].Split(',');
            cells[4] = "weekly";
            csv[i] = string.Join(',', cells);
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', csv));
        await host.DropAsync(model, "train.csv", bytes);
        var sha = ContentHash.Sha256Hex(new MemoryStream(bytes));
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, sha));
        Assert.Equal("Completed", run.Status);

        var versions = await host.Http.GetFromJsonAsync<List<DatasetManifest>>($"/api/models/{model}/datasets", PlatformJson.Options);
        var version = Assert.Single(versions!);
        Assert.Equal(sha, version.Sha256);
        Assert.Equal(398, version.Rows);
        Assert.Equal(2, version.DroppedRows);

        var detail = await host.Http.GetFromJsonAsync<DatasetVersionDetail>($"/api/models/{model}/datasets/{sha}", PlatformJson.Options);
        Assert.Equal(ValidationReport.Verdicts.AcceptedWithDroppedRows, detail!.Validation!.Verdict);
        Assert.Equal([3L, 7L], detail.Validation.RowProblems.Select(p => p.Row).Order());
        Assert.All(detail.Validation.RowProblems, p => Assert.Equal("contract", p.Column));
        Assert.Empty((await host.Http.GetFromJsonAsync<List<QuarantinedDrop>>($"/api/models/{model}/quarantine", PlatformJson.Options))!);
    }

    [Fact]
    public async Task A_rejected_drop_has_a_quarantine_report_with_its_row_problems_and_no_dataset_version()
    {
        var model = Azurite.UniqueModel("qr");
        await host.PutSpecAsync(model, Samples.SpecJson());
        var csv = System.Text.Encoding.UTF8.GetString(Samples.Csv(100, seed: 12)).Split('\n');
        for (var i = 1; i <= 10; i++)
        {
            var cells = csv[i].Split(',');
            cells[2] = "lots";
            csv[i] = string.Join(',', cells);
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', csv));
        await host.DropAsync(model, "bad.csv", bytes);
        var sha = ContentHash.Sha256Hex(new MemoryStream(bytes));
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, sha));
        Assert.Equal(RunOutcomes.Quarantined, run.Result!.Outcome);

        var listed = Assert.Single((await host.Http.GetFromJsonAsync<List<QuarantinedDrop>>($"/api/models/{model}/quarantine", PlatformJson.Options))!);
        Assert.Equal(sha, listed.Sha256);
        var drop = await host.Http.GetFromJsonAsync<QuarantinedDrop>($"/api/models/{model}/quarantine/{sha}", PlatformJson.Options);
        Assert.Equal(ValidationReport.Verdicts.Quarantined, drop!.Report.Verdict);
        Assert.Equal("bad.csv", drop.Report.FileName);
        Assert.Equal(10, drop.Report.RowProblems.Count);
        Assert.All(drop.Report.RowProblems, p => Assert.Equal(("monthly_charges", "lots"), (p.Column, p.Value)));

        Assert.Empty((await host.Http.GetFromJsonAsync<List<DatasetManifest>>($"/api/models/{model}/datasets", PlatformJson.Options))!);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/models/{model}/datasets/{sha}")).StatusCode);
    }

    [Theory]
    [InlineData("/api/models/ok/datasets/not-a-sha", HttpStatusCode.BadRequest)]
    [InlineData("/api/models/ok/quarantine/ABCDEF", HttpStatusCode.BadRequest)]
    [InlineData("/api/models/Bad_Name/datasets", HttpStatusCode.BadRequest)]
    [InlineData("/api/models/ok/quarantine/0000000000000000000000000000000000000000000000000000000000000000", HttpStatusCode.NotFound)]
    public async Task Bad_names_and_versions_are_400_and_unknown_ones_404(string path, HttpStatusCode expected)
    {
        var response = await host.Http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_routes_are_admin_only()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Scoring.GetAsync("/api/models/ok/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Scoring.GetAsync("/api/models/ok/quarantine")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/models/ok/datasets")).StatusCode);
    }
}
