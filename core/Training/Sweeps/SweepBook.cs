using Serverless.Core.Runs;
using Serverless.Core.Specs;

namespace Serverless.Core.Training.Sweeps;

/// <summary>
/// A sweep's bookkeeping, free of I/O and clocks so the orchestration can replay it: which trials enter each rung, with
/// which hyperparameters, what they scored, and at the end the trial table and the winner. The in-process
/// <see cref="SweepRunner"/> and the Durable sweep step drive the same book.
/// </summary>
public sealed class SweepBook
{
    private readonly ModelSpec _spec;
    private readonly SearchSpec _search;
    private readonly IReadOnlyDictionary<string, double>[] _sampled;
    private readonly List<IReadOnlyList<int>> _entrants = [];
    private readonly Dictionary<(int Trial, int Rung), TrialScore> _scores = [];

    public SweepBook(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _search = spec.Search ?? throw new ArgumentException("The spec has no search.", nameof(spec));
        _sampled = [.. Enumerable.Range(0, _search.Trials).Select(i => TrialSampler.Sample(_search, i))];
        ResourceName = SearchSpec.ResourceOf(spec.Trainer);
        Resources = _search.Strategy == SearchStrategy.Asha
            ? [.. AshaSchedule.Resources(_search.MinResourceOf(spec.Trainer), SearchSpec.MaxResourceOf(spec.Trainer), _search.ReductionFactor).Select(r => (int?)r)]
            : [null];
        Metric = _search.MetricFor(spec);
        Maximize = _search.Maximizes(spec);
    }

    /// <summary>ASHA: the hyperparameter the rungs set: numberOfTrees, or epochs for an mlp.</summary>
    public string ResourceName { get; }

    /// <summary>ASHA: the number of trees (mlp: epochs) per rung. Random search: one rung, null (each trial's own).</summary>
    public IReadOnlyList<int?> Resources { get; }

    public int RungCount => Resources.Count;

    public string Metric { get; }

    public bool Maximize { get; }

    /// <summary>
    /// The trials that run at <paramref name="rung"/>: all of them at rung 0; later, the ones promoted out of the
    /// rung before, which must have been recorded first.
    /// </summary>
    public IReadOnlyList<int> Entrants(int rung)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rung);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rung, RungCount);
        while (_entrants.Count <= rung)
        {
            var k = _entrants.Count;
            _entrants.Add(k == 0
                ? [.. Enumerable.Range(0, _search.Trials)]
                : AshaSchedule.Promote([.. _entrants[k - 1].Select(t => _scores.GetValueOrDefault((t, k - 1))).OfType<TrialScore>()], _entrants[k - 1].Count, _search.ReductionFactor, Maximize));
        }

        return _entrants[rung];
    }

    /// <summary>Trial <paramref name="trial"/>'s sampled hyperparameters, with the rung's number of trees (epochs) under ASHA.</summary>
    public IReadOnlyDictionary<string, double> Parameters(int trial, int rung)
    {
        if (Resources[rung] is not { } trees)
        {
            return _sampled[trial];
        }

        return new SortedDictionary<string, double>(_sampled[trial].ToDictionary(), StringComparer.Ordinal) { [ResourceName] = trees };
    }

    public void Record(TrialScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        _scores[(score.Trial, score.Rung)] = score;
    }

    /// <summary>The spec a trial (or the final fit) trains with: the trainer's hyperparameters overridden by <paramref name="parameters"/>.</summary>
    public static ModelSpec WithParameters(ModelSpec spec, IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(parameters);
        var merged = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in spec.Trainer.Hyperparameters ?? new Dictionary<string, double>()) merged[k] = v;
        foreach (var (k, v) in parameters) merged[k] = v;
        return spec with { Trainer = spec.Trainer with { Hyperparameters = merged } };
    }

    /// <summary>
    /// The trial table and the winner: the best score of any trial at any rung (ties: the lower trial number, then the
    /// higher rung). Under ASHA a rung's number of trees is part of the setting it scored, so a trial that peaked at
    /// fewer trees than the last rung's is refitted with that many (on churn, fast learners that won the early rungs
    /// overfit at the full count).
    /// </summary>
    /// <exception cref="InvalidOperationException">No trial produced a metric.</exception>
    public SweepResult Finish(double wallSeconds)
    {
        var trials = new List<SweepTrial>(_search.Trials);
        for (var t = 0; t < _search.Trials; t++)
        {
            var rungs = Enumerable.Range(0, RungCount).Where(r => _scores.ContainsKey((t, r)))
                .Select(r => _scores[(t, r)]).ToList();
            var error = rungs.FirstOrDefault(s => s.Error is not null)?.Error;
            var last = rungs.Count == 0 ? -1 : rungs[^1].Rung;
            var status = error is not null ? TrialStatuses.Failed
                : last == RungCount - 1 ? TrialStatuses.Completed
                : _entrants.Count > last + 1 && _entrants[last + 1].Contains(t) ? TrialStatuses.NotRun
                : last < 0 ? TrialStatuses.NotRun
                : TrialStatuses.StoppedEarly;
            trials.Add(new SweepTrial(
                t,
                _sampled[t],
                [.. rungs.Select(s => new RungScore(s.Rung, Resources[s.Rung], s.Metric, s.Seconds, s.Where, s.Device))],
                status,
                rungs.Sum(s => s.Seconds),
                error));
        }

        var best = AshaSchedule.Rank(_scores.Values.OrderByDescending(s => s.Rung), Maximize).FirstOrDefault()
            ?? throw new InvalidOperationException("No trial of the sweep produced a metric" +
                (_scores.Values.FirstOrDefault(s => s.Error is not null) is { } failed ? $"; trial {failed.Trial} failed: {failed.Error}" : "."));

        var bestParameters = Parameters(best.Trial, best.Rung);
        var summary = new SweepSummary(
            Name(_search.Strategy),
            Metric,
            Name(Maximize ? SearchDirection.Maximize : SearchDirection.Minimize),
            _search.Trials,
            best.Trial,
            best.Metric!.Value,
            bestParameters,
            wallSeconds,
            _search.Folds,
            _scores.Values.Select(s => s.Where).Distinct().Take(2).ToList() is [var where] ? where : null);
        return new SweepResult(summary, trials);
    }

    private static string Name<T>(T value) where T : struct, Enum => ModelSpecShape.EnumNames(typeof(T))[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)];
}
