using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Serverless.App.OpenApi;

/// <summary>Request examples for the main bodies, by <c>operationId</c>; the churn sample's features (samples/churn).</summary>
internal sealed class ApiOperationExamples : IOpenApiOperationTransformer
{
    private const string ChurnRow = """
        {"tenure_months": 31, "monthly_charges": 72.61, "total_charges": 2163.42, "contract": "month-to-month",
         "payment_method": "mailed-check", "internet_service": "fiber", "support_calls": 1, "autopay": true, "senior": false, "region": "west"}
        """;

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["predict"] = $$"""{"rows": [{{ChurnRow}}]}""",
        ["predictVersion"] = $$"""{"rows": [{{ChurnRow}}]}""",
        ["explain"] = $$"""{"rows": [{{ChurnRow}}]}""",
        ["submitFeedback"] = """[{"predictionId": "0HN8Q2J5K1L3M:00000001-0", "label": true, "observedAt": "2026-12-01T09:30:00Z"}]""",
        ["putSpec"] = """
            {"task": "binary", "label": "churned",
             "features": [
               {"name": "tenure_months", "type": "numeric", "min": 0, "max": 120},
               {"name": "monthly_charges", "type": "numeric", "min": 0, "max": 500},
               {"name": "contract", "type": "categorical", "categories": ["month-to-month", "one-year", "two-year"]},
               {"name": "autopay", "type": "boolean"}],
             "trainer": {"type": "lightgbm"},
             "holdout": {"fraction": 0.2, "seed": 42},
             "gates": {"thresholds": [{"metric": "auc", "min": 0.75}]}}
            """,
        ["startBatch"] = """{"input": "churn/scoring/customers.csv", "idColumn": "customer_id"}""",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is { } id && Examples.TryGetValue(id, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
        {
            json.Example = JsonNode.Parse(example);
        }

        return Task.CompletedTask;
    }
}
