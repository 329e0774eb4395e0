namespace Serverless.App.OpenApi;

/// <summary>
/// A query parameter the handler reads from the request itself (to report every bad value as a field error), for the
/// document only: parameters bound by the handler's signature are described without it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class QueryParameterAttribute(string name, Type type, string description) : Attribute
{
    public string Name { get; } = name;

    public Type Type { get; } = type;

    public string Description { get; } = description;
}
