using Serverless.Core.Storage;

namespace Serverless.Core.Tests.Storage;

public sealed class ClientFileNameTests
{
    [Theory]
    [InlineData("../../registry/x/aliases.json")]
    [InlineData(@"..\..\evil.csv")]
    [InlineData("a\0b\r\nc.csv")]
    [InlineData("données é 😀.csv")]
    public void A_name_becomes_header_safe_ascii_and_reads_back_unchanged(string name)
    {
        var encoded = ClientFileName.Encode(name);

        Assert.All(encoded, c => Assert.InRange(c, '!', '~'));
        Assert.Equal(name, Uri.UnescapeDataString(encoded));
    }

    [Fact]
    public void A_name_too_long_for_metadata_is_cut_between_characters()
    {
        var name = string.Concat(Enumerable.Repeat("😀", 2_000)); // 12 encoded characters each

        var encoded = ClientFileName.Encode(name);

        Assert.InRange(encoded.Length, ClientFileName.MaxEncodedChars - 11, ClientFileName.MaxEncodedChars);
        var decoded = Uri.UnescapeDataString(encoded);
        Assert.StartsWith(decoded, name, StringComparison.Ordinal);
        Assert.Equal(encoded.Length / 12 * 2, decoded.Length);
    }

    [Fact]
    public void No_name_means_no_metadata() => Assert.Null(ClientFileName.Metadata(null));
}
