using System.Text.Json.Nodes;

namespace Serverless.Bench;

/// <summary>
/// The <c>search</c> each sweep dataset's spec gets, as a user would write it in <c>model.json</c> (the pipeline run
/// gets the same JSON). Concurrency 2: the bench machine has 2 cores and each trial fits on one thread.
/// </summary>
internal static class SweepSearchSpaces
{
    /// <summary>Random search over all four tree hyperparameters, every trial to the end: 20 trials.</summary>
    public static JsonObject Random() => JsonNode.Parse("""
        {
          "strategy": "random", "trials": 20, "concurrency": 2, "seed": 42,
          "space": {
            "numberOfTrees": { "type": "int", "min": 100, "max": 500 },
            "learningRate": { "type": "logUniform", "min": 0.02, "max": 0.2 },
            "numberOfLeaves": { "type": "int", "min": 8, "max": 96 },
            "minimumExampleCountPerLeaf": { "type": "int", "min": 10, "max": 200 }
          }
        }
        """)!.AsObject();

    /// <summary>
    /// The multiclass set: the same random search with fewer trees, since LightGBM grows one tree per class per
    /// iteration (five here), so a trial costs five binary ones.
    /// </summary>
    public static JsonObject RandomMulticlass()
    {
        var search = Random();
        search["space"]!["numberOfTrees"] = JsonNode.Parse("""{ "type": "int", "min": 50, "max": 250 }""");
        return search;
    }

    /// <summary>
    /// The 1M set: successive halving over the trees (9 trials at 23 trees, 3 at 67, 1 at the spec's 200), since one
    /// 100-tree fit there takes ~15 s on one core.
    /// </summary>
    public static JsonObject Asha() => JsonNode.Parse("""
        {
          "strategy": "asha", "trials": 9, "reductionFactor": 3, "concurrency": 2, "seed": 42,
          "space": {
            "learningRate": { "type": "logUniform", "min": 0.02, "max": 0.3 },
            "numberOfLeaves": { "type": "int", "min": 8, "max": 128 },
            "minimumExampleCountPerLeaf": { "type": "int", "min": 10, "max": 400 }
          }
        }
        """)!.AsObject();
}
