using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Serverless.App.Http.Auth;
using Serverless.App.Models.Cards;
using Serverless.Core.Specs;
using Serverless.App.OpenApi;

namespace Serverless.App.Http;

/// <summary>A version's model card (scoring): JSON, or a page in HTML or Markdown by <c>Accept</c> or <c>?format=</c>.</summary>
public static class ModelCardApi
{
    public const string Json = "json";
    public const string Html = "html";
    public const string Markdown = "markdown";

    public const string HtmlMediaType = "text/html; charset=utf-8";
    public const string MarkdownMediaType = "text/markdown; charset=utf-8";

    public static IEndpointRouteBuilder MapModelCardApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        app.MapApiGroup<TAuthFilter>(ApiRole.Scoring).MapGet("/models/{model}/versions/{version:int}/card", GetCard);
        return app;
    }

    [EndpointSummary("A version's model card")]
    [EndpointDescription("JSON, or an HTML page or Markdown by `Accept` (`text/html`, `text/markdown`) or `?format=json|html|markdown`.")]
    [ProducesResponseType<ModelCardResponse>(StatusCodes.Status200OK, "application/json", "text/html", "text/markdown")]
    [ProblemResponse(400), ProblemResponse(404)]
    [QueryParameter("format", typeof(string), "json, html or markdown; wins over Accept.")]
    public static async Task<IResult> GetCard(string model, int version, HttpRequest request, [FromServices] ScoringApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        if (Format(request) is not { } format)
        {
            return Problems.BadRequest($"format must be one of {Json}, {Html}, {Markdown}; got '{Problems.Truncate(request.Query["format"].ToString())}'.");
        }

        return Problems.Map(await s.Catalog.GetCardAsync(model, version, ct), card => format switch
        {
            Html => TypedResults.Text(CardHtml.Render(CardLayout.Build(card)), HtmlMediaType),
            Markdown => TypedResults.Text(CardMarkdown.Render(CardLayout.Build(card)), MarkdownMediaType),
            _ => TypedResults.Ok(card),
        });
    }

    /// <summary><c>?format=</c> wins; else the most preferred of the Accept header's types that we serve; else JSON. Null: an unknown format.</summary>
    private static string? Format(HttpRequest request)
    {
        if (request.Query.TryGetValue("format", out var requested))
        {
            return requested.ToString().ToLowerInvariant() switch
            {
                Json => Json,
                Html => Html,
                Markdown or "md" => Markdown,
                _ => null,
            };
        }

        var accepted = request.GetTypedHeaders().Accept
            .Where(a => a.Quality is not 0)
            .OrderByDescending(a => a.Quality ?? 1)
            .Select(a => a.MediaType.Value?.ToLowerInvariant());
        foreach (var type in accepted)
        {
            switch (type)
            {
                case "application/json" or "*/*" or "application/*":
                    return Json;
                case "text/html":
                    return Html;
                case "text/markdown":
                    return Markdown;
            }
        }

        return Json;
    }
}
