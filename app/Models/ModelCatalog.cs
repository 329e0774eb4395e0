using System.Text;
using Serverless.App.Models.Cards;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.App.Models;

/// <summary>Models as the API shows them: specs, versions, aliases; spec uploads and manual promotion.</summary>
public sealed class ModelCatalog(ModelRegistry registry, ModelSpecStore specs, ModelServer server)
{
    public const int MaxSpecBytes = 1024 * 1024;

    public async Task<IReadOnlyList<ModelSummary>> ListAsync(CancellationToken ct)
    {
        var result = new List<ModelSummary>();
        foreach (var model in await registry.ListModelsAsync(ct).ConfigureAwait(false))
        {
            var versions = await registry.ListVersionsAsync(model, ct).ConfigureAwait(false);
            var aliases = await registry.GetAliasesAsync(model, ct).ConfigureAwait(false);
            result.Add(new ModelSummary(model, await specs.ExistsAsync(model, ct).ConfigureAwait(false), aliases.Get(ModelAliases.Champion), versions.Count));
        }

        return result;
    }

    public async Task<Outcome<ModelDetails>> GetAsync(string model, CancellationToken ct)
    {
        var stored = await specs.TryLoadAsync(model, ct).ConfigureAwait(false);
        var versions = await registry.ListVersionsAsync(model, ct).ConfigureAwait(false);
        if (stored is null && versions.Count == 0)
        {
            return new Outcome<ModelDetails>.NotFound($"Model '{model}' does not exist.");
        }

        var aliases = await registry.GetAliasesAsync(model, ct).ConfigureAwait(false);
        return new ModelDetails(
            model,
            stored is { IsValid: true } ? stored.Spec : null,
            aliases.Aliases,
            versions.Select(v => new VersionSummary(v.Version, v.Card.CreatedAt, v.Card.RunId, v.Card.Trainer, v.Card.Metrics, v.Card.Gate.Passed, v.Card.DatasetSha256, v.Aliases)).ToList(),
            aliases.History,
            stored is { IsValid: false } ? stored.Problems : null);
    }

    /// <summary>A version's model card and the alias moves that involve it; not found for an unknown model or version.</summary>
    public async Task<Outcome<ModelCardResponse>> GetCardAsync(string model, int version, CancellationToken ct)
    {
        if (await registry.GetCardAsync(model, version, ct).ConfigureAwait(false) is not { } card)
        {
            return new Outcome<ModelCardResponse>.NotFound($"Model '{model}' has no version {version}.");
        }

        var aliases = await registry.GetAliasesAsync(model, ct).ConfigureAwait(false);
        return new ModelCardResponse(card, [.. aliases.History.Where(h => h.Version == version || h.PreviousVersion == version)]);
    }

    /// <param name="body">The spec's UTF-8 JSON, at most <see cref="MaxSpecBytes"/>.</param>
    public async Task<Outcome<SpecStored>> PutSpecAsync(string model, byte[] body, CancellationToken ct)
    {
        var parsed = ModelSpecValidator.Parse(Encoding.UTF8.GetString(body));
        if (parsed.Spec is null || parsed.Problems.Count > 0)
        {
            return new Outcome<SpecStored>.InvalidSpec($"The spec for '{model}' has {parsed.Problems.Count} problem(s).", parsed.Problems, Stored: false);
        }

        if (await registry.GetArchiveAsync(model, ct).ConfigureAwait(false) is { } archived)
        {
            return new Outcome<SpecStored>.Conflict("Model archived", new ModelArchivedException(archived).Message);
        }

        return new SpecStored(model, await specs.PutAsync(model, parsed.Spec, ct).ConfigureAwait(false));
    }

    /// <param name="by">The caller, recorded in the alias history (<see cref="AliasChange.By"/>).</param>
    public async Task<Outcome<PromoteResponse>> PromoteAsync(string model, int version, string by, CancellationToken ct)
    {
        try
        {
            var change = await registry.SetAliasAsync(model, ModelAliases.Champion, version, "manual promotion via API", by, ct).ConfigureAwait(false);
            server.InvalidateChampion(model);
            return new PromoteResponse(model, change.Alias, change.Version, change.PreviousVersion);
        }
        catch (KeyNotFoundException e)
        {
            return new Outcome<PromoteResponse>.NotFound(e.Message);
        }
        catch (ModelArchivedException e)
        {
            return new Outcome<PromoteResponse>.Conflict("Model archived", e.Message);
        }
        catch (RegistryConflictException e)
        {
            // Many promotions/rollbacks at once: this one did not get its turn. Nothing changed; the caller may retry.
            return new Outcome<PromoteResponse>.Conflict("Concurrent alias change", $"Version {version} of '{model}' was not promoted: {e.Message}");
        }
    }
}
