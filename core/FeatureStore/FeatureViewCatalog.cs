using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// The feature views this deployment serves, read once when the host starts (never per request) and immutable after:
/// the reviewed files are part of the build.
/// </summary>
public sealed class FeatureViewCatalog
{
    private readonly Dictionary<string, RegisteredFeatureView> _byName;

    private FeatureViewCatalog(IEnumerable<RegisteredFeatureView> views)
    {
        _byName = views.ToDictionary(v => v.View.Name, StringComparer.Ordinal);
        All = [.. _byName.Values.OrderBy(v => v.View.Name, StringComparer.Ordinal)];
    }

    public static FeatureViewCatalog Empty { get; } = new([]);

    /// <summary>Every view, by name.</summary>
    public IReadOnlyList<RegisteredFeatureView> All { get; }

    public RegisteredFeatureView? Find(string name) => _byName.GetValueOrDefault(name);

    public IReadOnlyList<RegisteredFeatureView> Search(FeatureViewQuery query) => [.. All.Where(v => query.Matches(v.View))];

    /// <summary>Every <c>*.json</c> in <paramref name="folder"/> (none when it does not exist).</summary>
    /// <exception cref="InvalidFeatureViewException">Any file is invalid; lists every problem of every file.</exception>
    public static FeatureViewCatalog LoadFolder(string folder) =>
        Directory.Exists(folder)
            ? FromFiles(Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))))
            : Empty;

    /// <summary>Definitions given as (file name, JSON); a view's name must be its file's name.</summary>
    /// <exception cref="InvalidFeatureViewException">Any definition is invalid.</exception>
    public static FeatureViewCatalog FromFiles(IEnumerable<(string File, string Json)> files)
    {
        var problems = new List<(string, SpecProblem)>();
        var views = new List<RegisteredFeatureView>();
        foreach (var (file, json) in files)
        {
            var parsed = FeatureViewValidator.Parse(json);
            problems.AddRange(parsed.Problems.Select(p => (file, p)));
            if (!parsed.IsValid) continue;
            var view = parsed.View!;
            if (Path.GetFileNameWithoutExtension(file) != view.Name)
            {
                problems.Add((file, new SpecProblem("$.name", $"The view '{view.Name}' must be defined in '{view.Name}.json'.")));
                continue;
            }

            if (views.Any(v => v.View.Name == view.Name))
            {
                problems.Add((file, new SpecProblem("$.name", $"The view '{view.Name}' is defined twice.")));
                continue;
            }

            views.Add(RegisteredFeatureView.Of(view, file));
        }

        return problems.Count > 0 ? throw new InvalidFeatureViewException(problems) : new FeatureViewCatalog(views);
    }
}
