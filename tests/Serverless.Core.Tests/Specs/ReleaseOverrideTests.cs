using System.Text;
using System.Text.Json;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Specs;

/// <summary>An operator's release settings over the stored spec's section: merged key by key, checked by the spec's rules, reported by the body's paths.</summary>
public class ReleaseOverrideTests
{
    private static readonly ModelSpec Spec = new()
    {
        Task = ModelTask.Binary,
        Label = "churned",
        Features = [new FeatureSpec("age", FeatureType.Numeric, Min: 0, Max: 120)],
        Trainer = new TrainerSpec(TrainerKind.LightGbm),
        Release = new ReleaseSpec
        {
            Mode = ReleaseMode.Canary, Steps = [10, 50, 100], BakeTime = TimeSpan.FromMinutes(10),
            Guardrails = new ReleaseGuardrails { MaxErrorRate = 0.01, MinRequests = 200 }, RoutingKey = "customer_id",
        },
    };

    private static ReleaseOverrideResult Apply(string body) => ReleaseOverride.Apply(Spec, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void No_body_is_the_spec_unchanged()
    {
        var result = ReleaseOverride.Apply(Spec, ReadOnlyMemory<byte>.Empty);
        Assert.Same(Spec, result.Spec);
        Assert.Empty(result.Keys);
    }

    [Fact]
    public void Each_key_given_replaces_the_spec_value_and_the_rest_is_kept()
    {
        var result = Apply("""{"steps": [5, 100], "bakeTime": "00:00:30", "approval": "required"}""");

        Assert.Empty(result.Problems);
        var release = result.Spec!.Release;
        Assert.Equal([5, 100], release.Steps);
        Assert.Equal(TimeSpan.FromSeconds(30), release.BakeTime);
        Assert.Equal(ReleaseApproval.Required, release.Approval);
        Assert.Equal((ReleaseMode.Canary, "customer_id", 200), (release.Mode, release.RoutingKey, release.Guardrails.MinRequests));
        Assert.Equal(["steps", "bakeTime", "approval"], result.Keys);
        Assert.Equal(Json(Spec), Json(result.Spec with { Release = Spec.Release }));
    }

    [Fact]
    public void A_guardrails_object_replaces_the_whole_of_the_spec_guardrails()
    {
        var result = Apply("""{"guardrails": {"maxP99LatencyMs": 50}}""");
        Assert.Equal(new ReleaseGuardrails { MaxP99LatencyMs = 50 }, result.Spec!.Release.Guardrails);
    }

    [Fact]
    public void A_hold_may_end_below_100_but_a_canary_may_not()
    {
        Assert.Equal([25], Apply("""{"mode": "hold", "steps": [25]}""").Spec!.Release.Steps);
        Assert.Equal(ReleaseMode.Hold, Apply("""{"mode": "hold", "steps": [5, 25]}""").Spec!.Release.Mode);

        var canary = Apply("""{"steps": [10, 25]}""");
        Assert.Null(canary.Spec);
        Assert.Equal(["$.steps[1]"], canary.Problems.Select(p => p.Path));
    }

    [Theory]
    [InlineData("""{"steps": [10, 5, 100]}""", "$.steps[1]")]
    [InlineData("""{"steps": [10, 150]}""", "$.steps[1]")]
    [InlineData("""{"mode": "bluegreen"}""", "$.mode")]
    [InlineData("""{"bakeTime": "00:00:00"}""", "$.bakeTime")]
    [InlineData("""{"bakeTime": 5}""", "$.bakeTime")]
    [InlineData("""{"guardrails": {"maxErrorRate": 1.5}}""", "$.guardrails.maxErrorRate")]
    [InlineData("""{"guardrails": {"minLiveQuality": {"metric": "rmse", "min": 1}}}""", "$.guardrails.minLiveQuality.metric")]
    [InlineData("""{"approval": "maybe"}""", "$.approval")]
    [InlineData("""{"weights": [10]}""", "$.weights")]
    [InlineData("""{"steps": [10, 100], "steps": [20, 100]}""", "$.steps")]
    [InlineData("""[10, 100]""", "$")]
    [InlineData("""{"steps": [10, 100]""", "$")]
    public void A_bad_setting_is_reported_at_its_path_in_the_body(string body, string path)
    {
        var result = Apply(body);
        Assert.Null(result.Spec);
        Assert.Contains(path, result.Problems.Select(p => p.Path));
        Assert.All(result.Problems, p => Assert.DoesNotContain("$.release", p.Path, StringComparison.Ordinal));
    }

    private static string Json(ModelSpec spec) => JsonSerializer.Serialize(spec, PlatformJson.Options);
}
