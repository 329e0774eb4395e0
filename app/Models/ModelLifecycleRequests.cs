using Serverless.Core.Registry;
using Serverless.Core.Specs;

namespace Serverless.App.Models;

/// <summary><c>DELETE …/versions/{v}</c> and <c>POST …/archive</c> in terms of the request.</summary>
public sealed class ModelLifecycleRequests(ModelLifecycle lifecycle, ModelRegistry registry, ModelSpecStore specs)
{
    public async Task<Outcome<VersionDeletion>> DeleteVersionAsync(string model, int version, string by, CancellationToken ct)
    {
        try
        {
            return await lifecycle.DeleteVersionAsync(model, version, "deleted via API", by, ct).ConfigureAwait(false);
        }
        catch (KeyNotFoundException e)
        {
            return new Outcome<VersionDeletion>.NotFound(e.Message);
        }
        catch (VersionInUseException e)
        {
            return new Outcome<VersionDeletion>.Conflict("Version carries traffic", e.Message);
        }
        catch (ModelArchivedException e)
        {
            return new Outcome<VersionDeletion>.Conflict("Model archived", e.Message);
        }
    }

    public async Task<Outcome<ModelArchive>> ArchiveAsync(string model, string? reason, string by, CancellationToken ct)
    {
        if (!await specs.ExistsAsync(model, ct).ConfigureAwait(false) && (await registry.ListVersionsAsync(model, ct).ConfigureAwait(false)).Count == 0)
        {
            return new Outcome<ModelArchive>.NotFound($"Model '{model}' does not exist.");
        }

        return await lifecycle.ArchiveAsync(model, string.IsNullOrWhiteSpace(reason) ? "archived via API" : reason, by, ct).ConfigureAwait(false);
    }
}
