using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Http;
using Serverless.Core;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.App.Tests.Http;

/// <summary>Every outcome of an application service leaves the API in one shape: RFC 7807 problem details, with field errors and spec problems as extensions.</summary>
public sealed class ProblemsTests
{
    [Theory]
    [InlineData("invalid", 400, "Bad request")]
    [InlineData("too-large", 413, "Payload too large")]
    [InlineData("not-found", 404, "Not found")]
    [InlineData("conflict", 409, "Concurrent alias change")]
    [InlineData("unavailable", 503, "Service unavailable")]
    public async Task Each_outcome_is_a_problem_with_its_status_title_and_detail(string kind, int status, string title)
    {
        Outcome<int> outcome = kind switch
        {
            "invalid" => new Outcome<int>.Invalid("the detail"),
            "too-large" => new Outcome<int>.TooLarge("the detail"),
            "not-found" => new Outcome<int>.NotFound("the detail"),
            "conflict" => new Outcome<int>.Conflict("Concurrent alias change", "the detail"),
            _ => new Outcome<int>.Unavailable("the detail"),
        };

        var (code, contentType, body) = await ExecuteAsync(Problems.Ok(outcome));

        Assert.Equal(status, code);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.Equal(title, body.GetProperty("title").GetString());
        Assert.Equal("the detail", body.GetProperty("detail").GetString());
        Assert.False(body.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Field_errors_ride_along_as_the_errors_extension_every_one_of_them()
    {
        var (code, _, body) = await ExecuteAsync(Problems.Ok<int>(new Outcome<int>.Invalid("2 field error(s)", [new FieldError(0, "age", "not a number"), new FieldError(3, "plan", "unknown category")])));

        Assert.Equal(400, code);
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString(), e.GetProperty("message").GetString())).ToList();
        Assert.Equal([(0, "age", "not a number"), (3, "plan", "unknown category")], errors);
    }

    [Theory]
    [InlineData(false, 400)]
    [InlineData(true, 409)]
    public async Task Spec_problems_are_a_400_in_a_request_and_a_409_when_stored(bool stored, int status)
    {
        var (code, _, body) = await ExecuteAsync(Problems.Ok<int>(new Outcome<int>.InvalidSpec("1 problem", [new SpecProblem("$.label", "label is required.")], stored)));

        Assert.Equal(status, code);
        Assert.Equal("Invalid model spec", body.GetProperty("title").GetString());
        var problem = Assert.Single(body.GetProperty("problems").EnumerateArray().ToList());
        Assert.Equal("$.label", problem.GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_value_is_200_with_the_value_as_the_body()
    {
        var (code, _, body) = await ExecuteAsync(Problems.Ok<int>(42));

        Assert.Equal(200, code);
        Assert.Equal(42, body.GetInt32());
    }

    private static async Task<(int Status, string? ContentType, JsonElement Body)> ExecuteAsync(IResult result)
    {
        var services = new ServiceCollection().AddLogging().Configure<JsonOptions>(j => PlatformJson.Apply(j.SerializerOptions)).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, context.Response.ContentType?.Split(';')[0], json.RootElement.Clone());
    }
}
