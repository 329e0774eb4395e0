using System.Text.Json;

namespace Serverless.App.OpenApi;

/// <summary>
/// The documented body of predict and explain: raw feature values by column name, as in the training data. The
/// handlers parse the bytes themselves (every row and field error is reported), so this record only types the schema.
/// </summary>
public sealed record PredictRequest(IReadOnlyList<Dictionary<string, JsonElement>> Rows);
