namespace Serverless.App.OpenApi;

/// <summary>
/// The body a handler reads itself (from <c>HttpRequest</c>, to bound its size and report every field error), for the
/// document only: unlike <c>[Consumes]</c> it adds no content-type constraint to routing.
/// </summary>
/// <param name="type">The body's record; <see cref="byte"/>[] for a raw file.</param>
/// <param name="contentTypes">Defaults to <c>application/json</c>.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequestBodyAttribute(Type type, params string[] contentTypes) : Attribute
{
    public Type Type { get; } = type;

    public IReadOnlyList<string> ContentTypes { get; } = contentTypes.Length > 0 ? contentTypes : ["application/json"];

    public bool Required { get; init; } = true;
}
