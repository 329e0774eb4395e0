using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Monitoring.Logging;

public sealed class FeatureLogPrivacyTests
{
    [Fact]
    public void Hash_writes_sha256_hex_omit_drops_the_column_and_raw_keeps_it()
    {
        var inputs = new TabularDataset(
        [
            DataColumn.Float("age", [42f, float.NaN]),
            DataColumn.Text("email", ["abc", null]),
            DataColumn.Float("income", [1.5f, 2f]),
        ]);
        FeatureSpec[] features =
        [
            new("age", FeatureType.Numeric, Nullable: true, Log: FeatureLogMode.Omit),
            new("email", FeatureType.Categorical, Nullable: true, UnknownCategory: UnknownCategoryPolicy.Allow, Log: FeatureLogMode.Hash),
            new("income", FeatureType.Numeric),
        ];

        var logged = FeatureLogPrivacy.Apply(inputs, features);

        Assert.Equal(["email", "income"], logged.Columns.Select(c => c.Name));
        // FIPS 180-2's test vector for "abc"; a missing value stays missing rather than becoming the hash of "".
        Assert.Equal(new string?[] { "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", null }, logged["email"].TextValues.ToArray());
        Assert.Same(inputs["income"], logged["income"]);
    }

    [Fact]
    public void Numbers_hash_as_their_invariant_round_trip_text_and_all_raw_is_the_same_table()
    {
        var inputs = new TabularDataset([DataColumn.Float("x", [1.5f, float.NaN])]);
        var hashed = FeatureLogPrivacy.Apply(inputs, [new FeatureSpec("x", FeatureType.Numeric, Nullable: true, Log: FeatureLogMode.Hash)]);
        Assert.Equal(new string?[] { FeatureLogPrivacy.Hash("1.5"), null }, hashed["x"].TextValues.ToArray());
        Assert.Same(inputs, FeatureLogPrivacy.Apply(inputs, [new FeatureSpec("x", FeatureType.Numeric, Nullable: true)]));
    }
}
