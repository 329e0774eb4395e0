namespace Serverless.Core.Specs;

/// <summary>The JSON Schema of <c>model.json</c> (<c>schemas/model.schema.json</c>, embedded in this assembly).</summary>
public static class ModelSpecSchema
{
    /// <summary>The media type of JSON Schema documents (registered by the JSON Schema core specification).</summary>
    public const string MediaType = "application/schema+json";

    private static readonly Lazy<string> Resource = new(() =>
    {
        using var stream = typeof(ModelSpecSchema).Assembly.GetManifestResourceStream("Serverless.Core.Specs.model.schema.json")
            ?? throw new InvalidOperationException("The model spec schema is not embedded in Serverless.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Text => Resource.Value;
}
