using Microsoft.AspNetCore.Mvc;

namespace Serverless.App.OpenApi;

/// <summary>A status the route can answer with an <see cref="ApiProblem"/> (<c>application/problem+json</c>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProblemResponseAttribute(int statusCode)
    : ProducesResponseTypeAttribute(typeof(ApiProblem), statusCode, ApiDocument.ProblemMediaType);
