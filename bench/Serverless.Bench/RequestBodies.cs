using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Bench;

/// <summary>Predict request bodies (<c>{"rows":[…]}</c>) for dataset rows, as a client would send them.</summary>
internal static class RequestBodies
{
    public static byte[] For(TabularDataset rows, IReadOnlyList<FeatureSpec> features)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("rows");
            for (var i = 0; i < rows.RowCount; i++)
            {
                json.WriteStartObject();
                foreach (var f in features)
                {
                    var column = rows[f.Name];
                    switch (f.Type)
                    {
                        case FeatureType.Categorical when column.TextValues[i] is { } text:
                            json.WriteString(f.Name, text);
                            break;
                        case FeatureType.Boolean:
                            json.WriteBoolean(f.Name, column.FloatValues[i] != 0);
                            break;
                        case FeatureType.Numeric when !float.IsNaN(column.FloatValues[i]):
                            json.WriteNumber(f.Name, column.FloatValues[i]);
                            break;
                        default:
                            json.WriteNull(f.Name);
                            break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
