using System.Globalization;
using System.Text.Json;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Feedback;

/// <summary>Normalizes an observed label to the text form logs and training use: "true"/"false", a class, or a number.</summary>
public static class FeedbackLabel
{
    public static bool TryNormalize(ModelSpec spec, JsonElement label, out string normalized, out string error)
    {
        normalized = error = string.Empty;
        var text = label.ValueKind switch
        {
            JsonValueKind.String => label.GetString()!.Trim(),
            JsonValueKind.Number => label.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (string.IsNullOrEmpty(text))
        {
            error = "The label is missing or not a boolean, number or string.";
            return false;
        }

        switch (spec.Task)
        {
            case ModelTask.Binary when spec.PositiveClass is { } positive:
                // Named classes: the positive class or the (one) other. Which name the other has is in the training
                // data, not the spec, so any other value counts as the negative class.
                normalized = text == positive || (Datasets.ColumnContract.TryParseBoolean(text, out var t) && Datasets.ColumnContract.TryParseBoolean(positive, out var p) && t == p)
                    ? "true"
                    : "false";
                return true;
            case ModelTask.Binary:
                bool? b = text.ToLowerInvariant() switch { "true" or "1" or "yes" => true, "false" or "0" or "no" => false, _ => null };
                if (b is null)
                {
                    error = $"'{text}' is not a binary label (true/false, 1/0, yes/no); the spec has no positiveClass.";
                    return false;
                }

                normalized = b.Value ? "true" : "false";
                return true;
            case ModelTask.Regression:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d) || Math.Abs(d) > float.MaxValue)
                {
                    error = $"'{text}' is not a finite number.";
                    return false;
                }

                normalized = ((float)d).ToString("R", CultureInfo.InvariantCulture);
                return true;
            default:
                if (spec.Classes is { } classes && !classes.Contains(text, StringComparer.Ordinal))
                {
                    error = $"'{text}' is not one of the model's classes ({string.Join(", ", classes)}).";
                    return false;
                }

                normalized = text;
                return true;
        }
    }
}
