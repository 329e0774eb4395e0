using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;

namespace Serverless.Core.Tests.Scoring;

public sealed class PredictionIdsTests
{
    [Fact]
    public void Ids_are_uuid_v7_carrying_their_millisecond_and_unique()
    {
        var at = new DateTimeOffset(2026, 11, 27, 4, 31, 12, 345, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 10_000).Select(_ => PredictionIds.New(at)).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Equal(32, id.Length);
            Assert.True(Guid.TryParseExact(id, "N", out var guid));
            Assert.Equal(7, guid.Version);
            Assert.True(PredictionIds.TryGetTimestamp(id, out var decoded));
            Assert.Equal(at, decoded);
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-id")]
    [InlineData("0190a1b2c3d44abc8def0123456789ab")] // version nibble 4, not 7
    public void Other_strings_carry_no_timestamp(string id) => Assert.False(PredictionIds.TryGetTimestamp(id, out _));
}
