using Serverless.Core.FeatureStore;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline.Features;

/// <summary>Materialize-incremental of one view into the online store (<see cref="FeatureMaterializer"/>).</summary>
public sealed class MaterializeFeatureView(FeatureViewCatalog catalog, FeatureMaterializer materializer) : PipelineActivity<MaterializeRequest, MaterializationResult>
{
    public const string Name = "MaterializeFeatureView";

    protected override string Step => "materialize";

    protected override RunRef Subject(MaterializeRequest input) => new($"materialize-{input.UpTo.UtcDateTime:yyyyMMddTHHmmssZ}", input.View);

    protected override Task<MaterializationResult> ExecuteAsync(MaterializeRequest input, CancellationToken ct) =>
        materializer.MaterializeAsync(catalog.Find(input.View) ?? throw new FeatureJoinException($"There is no feature view '{input.View}'."), input.UpTo, ct);
}
