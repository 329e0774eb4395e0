using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.App.Http;

namespace Serverless.App.Tests.Http;

/// <summary>The one API key filter, as the local host (open without a key) and the scorer (closed without one) set it.</summary>
public sealed class ApiKeyFilterTests
{
    [Theory]
    [InlineData("secret", "x-api-key", "secret", true, true)]
    [InlineData("secret", "x-api-key", "wrong", true, false)]
    [InlineData("secret", "x-api-key", null, true, false)]
    [InlineData("", "x-api-key", null, true, true)]
    [InlineData("", "x-api-key", "anything", false, false)]
    [InlineData("secret", "x-scorer-key", "secret", false, true)]
    public async Task Lets_a_request_through_only_with_the_configured_key(string key, string header, string? sent, bool allowWithoutKey, bool passes)
    {
        var filter = new ApiKeyFilter(Options.Create(new ApiKeyOptions { Key = key, Header = header, AllowWithoutKey = allowWithoutKey, KeySetting = "Test:ApiKey" }));
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        if (sent is not null)
        {
            http.Request.Headers[header] = sent;
        }

        var reached = false;
        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ =>
        {
            reached = true;
            return ValueTask.FromResult<object?>("handler");
        });

        Assert.Equal(passes, reached);
        if (!passes)
        {
            await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(http);
            Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        }
    }
}
