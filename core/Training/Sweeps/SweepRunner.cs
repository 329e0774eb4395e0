using Serverless.Core.Datasets;
using Serverless.Core.Runs;
using Serverless.Core.Specs;

namespace Serverless.Core.Training.Sweeps;

/// <summary>
/// The whole sweep in this process: the rungs of <see cref="SweepBook"/> run one after another, the trials of a rung
/// in parallel up to <c>search.concurrency</c>. What the pipeline's sweep step does with activities, minus Durable:
/// the bench measures the orchestration's overhead against it.
/// </summary>
public sealed class SweepRunner(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="spec">A spec with <c>search</c>.</param>
    /// <param name="data">The whole dataset (holdout included: it is split off as the train step does, and never used).</param>
    /// <returns>The trial table and the winner; <see cref="SweepBook.WithParameters"/> with its best parameters gives the spec to refit.</returns>
    public SweepResult Run(ModelSpec spec, TabularDataset data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var search = spec.Search ?? throw new ArgumentException("The spec has no search.", nameof(spec));
        var started = _time.GetTimestamp();
        var evaluator = TrialEvaluator.Create(spec, data);
        var book = new SweepBook(spec);
        bool OutOfTime() => search.MaxWallTime is { } wall && _time.GetElapsedTime(started) >= wall;

        for (var rung = 0; rung < book.RungCount && !OutOfTime(); rung++)
        {
            var entrants = book.Entrants(rung);
            var scores = new TrialScore?[entrants.Count];
            var options = new ParallelOptions { MaxDegreeOfParallelism = search.Concurrency, CancellationToken = ct };
            var current = rung;
            Parallel.For(0, entrants.Count, options, i =>
            {
                if (!OutOfTime())
                {
                    scores[i] = evaluator.Evaluate(entrants[i], current, book.Parameters(entrants[i], current), ct);
                }
            });
            foreach (var score in scores.OfType<TrialScore>()) book.Record(score);
        }

        return book.Finish(_time.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The spec the final fit trains with: the run's spec with the sweep's best parameters.</summary>
    public static ModelSpec TunedSpec(ModelSpec spec, SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return SweepBook.WithParameters(spec, result.Summary.BestParameters);
    }
}
