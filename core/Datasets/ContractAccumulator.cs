using System.Globalization;
using Serverless.Core.Specs;

namespace Serverless.Core.Datasets;

/// <summary>
/// The format-independent half of the data contract: CSV and Parquet readers hand it one row at a time
/// (cell by cell), it asks each feature's <see cref="ColumnContract"/> for a verdict (the same one predict uses),
/// applies the label rules, keeps valid rows in per-column buffers and tallies problems. A row is committed only
/// when all its cells pass. At the end it checks the label's classes and the minimum amount of data.
/// With a <see cref="SnapshotWriter"/>, valid rows go straight into its reused row-group buffers and leave a row group
/// at a time, so what stays is a few row groups, per-column category pools, and one small value per valid row: its
/// class (a byte for a binary label), which the class and seeded-holdout minimum checks need for every row.
/// </summary>
internal sealed class ContractAccumulator
{
    private const int MaxInternedPerColumn = 1 << 16;

    private readonly ModelSpec _spec;
    private readonly DatasetLimits _limits;
    private readonly SnapshotWriter? _snapshot;
    private readonly ColumnRule[] _columns;
    private readonly LabelRule _label;
    private readonly List<FileProblem> _fileProblems = [];
    private readonly List<RowProblem> _rowProblems = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private long _row;
    private int _line;
    private bool _rowInvalid;
    private long _invalidRows;
    private bool _truncated;
    private int _pending;
    private RowGroupBuffer? _group;

    public ContractAccumulator(ModelSpec spec, DatasetLimits? limits = null, SnapshotWriter? snapshot = null)
    {
        _spec = spec;
        _limits = limits ?? DatasetLimits.Default;
        _snapshot = snapshot;
        _label = new LabelRule(spec, keepValues: snapshot is not null);
        _columns = [.. spec.Features.Select(f => new ColumnRule(f.Name, TargetOf(f), new ColumnContract(f, spec.MissingValues))), _label];
    }

    public enum Target
    {
        Numeric,
        Boolean,
        Categorical,
        BinaryLabel,
        RegressionLabel,
        MulticlassLabel,
    }

    /// <summary>Spec columns in dataset order: features, then the label.</summary>
    public int ColumnCount => _columns.Length;

    public bool HasFileProblems => _fileProblems.Count > 0;

    public string NameOf(int col) => _columns[col].Name;

    public Target TargetOf(int col) => _columns[col].Target;

    public DatasetLimits Limits => _limits;

    public void AddFileProblem(string rule, string message)
    {
        if (_fileProblems.Count < _limits.MaxListedFileProblems)
        {
            _fileProblems.Add(new FileProblem(rule, message));
        }
        else
        {
            _truncated = true;
        }

        Count(rule);
    }

    /// <summary>Starts the next data row; <paramref name="line"/> is its CSV line, 0 for Parquet.</summary>
    public void BeginRow(int line)
    {
        _row++;
        _line = line;
        _rowInvalid = false;
    }

    /// <summary>No value (a Parquet null or NaN).</summary>
    public void SetMissing(int col)
    {
        var c = _columns[col];
        if (c.Contract is { } contract)
        {
            Apply(c, contract.CheckMissing(), float.NaN, null, default);
        }
        else
        {
            _label.Missing(this);
        }
    }

    /// <summary>A typed number (Parquet).</summary>
    public void SetNumber(int col, double value)
    {
        var c = _columns[col];
        if (c.Contract is { } contract)
        {
            var verdict = contract.CheckNumber(value, out var number);
            Apply(c, verdict, number, null, verdict == ValueVerdict.Valid ? default : Format(value));
        }
        else
        {
            _label.Number(this, value);
        }
    }

    /// <summary>A typed boolean (Parquet).</summary>
    public void SetBoolean(int col, bool value)
    {
        var c = _columns[col];
        if (c.Contract is { } contract)
        {
            var verdict = contract.CheckBoolean(value, out var number);
            Apply(c, verdict, number, null, verdict == ValueVerdict.Valid ? default : (value ? "true" : "false"));
        }
        else
        {
            _label.Boolean(this, value);
        }
    }

    /// <summary>A text value: a CSV cell or a Parquet string. Trimmed and checked for missing-value tokens here.</summary>
    public void SetText(int col, ReadOnlySpan<char> value)
    {
        var c = _columns[col];
        if (c.Contract is { } contract)
        {
            var verdict = contract.CheckText(value, out var number, out var category);
            if (verdict == ValueVerdict.Valid && c.Target == Target.Categorical && category is null)
            {
                category = c.Intern(value.Trim());
            }

            Apply(c, verdict, number, category, value);
        }
        else
        {
            _label.Text(this, value.Trim());
        }
    }

    /// <summary>The whole row is unreadable (wrong field count, broken quoting).</summary>
    public void SetUnparseable(string detail) =>
        Problem(string.Empty, ContractRules.UnparseableRow, detail, "A row needs one field per header column, with balanced quotes.");

    public void EndRow()
    {
        if (_rowInvalid)
        {
            _invalidRows++;
            return;
        }

        if (_snapshot is null)
        {
            foreach (var c in _columns) c.Commit();
            return;
        }

        _group ??= _snapshot.Rent();
        for (var i = 0; i < _columns.Length; i++)
        {
            if (_group.Floats[i] is { } floats)
            {
                floats[_pending] = _columns[i].ScratchFloat;
            }
            else
            {
                _group.Texts[i]![_pending] = _columns[i].ScratchText;
            }
        }

        _label.KeepValue();
        if (++_pending == _snapshot.RowGroupRows)
        {
            FlushRowGroup();
        }
    }

    public ContractResult Complete(string fileName)
    {
        if (_row == 0 && _fileProblems.Count == 0)
        {
            AddFileProblem(ContractRules.EmptyFile, "The file has no data rows.");
        }

        var valid = _row - _invalidRows;
        var fraction = _row == 0 ? 0 : (double)_invalidRows / _row;
        var rowsAccepted = valid > 0 && fraction <= _spec.MaxInvalidRowFraction;
        if (_fileProblems.Count == 0)
        {
            _label.ExplainLabelProblems(this, _row, rowsAccepted);
        }

        if (_fileProblems.Count == 0 && rowsAccepted)
        {
            TrainingDataCheck.Run(_spec, _label, (int)valid, this);
        }

        var accepted = _fileProblems.Count == 0 && rowsAccepted;
        var verdict = !accepted
            ? ValidationReport.Verdicts.Quarantined
            : _invalidRows > 0 ? ValidationReport.Verdicts.AcceptedWithDroppedRows : ValidationReport.Verdicts.Accepted;

        var report = new ValidationReport(
            fileName, _row, valid, _invalidRows, fraction, _spec.MaxInvalidRowFraction, verdict,
            _fileProblems, _rowProblems, _counts, _truncated);
        if (_snapshot is not null)
        {
            // The rows already left a row group at a time; the snapshot is complete once its writer is.
            if (accepted && _pending > 0)
            {
                FlushRowGroup();
            }

            _snapshot.SetClassNames(_label.Name, _label.ClassNames);
            return new ContractResult(null, report, accepted);
        }

        var data = accepted ? new TabularDataset(_columns.Select(c => c.Build()).ToList()) : null;
        return new ContractResult(data, report, accepted);
    }

    private void Apply(ColumnRule c, ValueVerdict verdict, float number, string? category, ReadOnlySpan<char> raw)
    {
        switch (verdict)
        {
            case ValueVerdict.Valid:
                c.ScratchFloat = number;
                c.ScratchText = category;
                break;
            case ValueVerdict.Missing:
                c.ScratchFloat = float.NaN;
                c.ScratchText = null;
                break;
            default:
                Problem(c.Name, ColumnContract.RuleOf(verdict)!, verdict == ValueVerdict.NullNotAllowed ? null : Truncate(raw.Trim()), c.Contract!.MessageFor(verdict));
                break;
        }
    }

    private void Problem(string column, string rule, string? value, string message)
    {
        _rowInvalid = true;
        Count(rule);
        if (_rowProblems.Count < _limits.MaxListedRowProblems)
        {
            _rowProblems.Add(new RowProblem(_row, _line, column, rule, value, message));
        }
        else
        {
            _truncated = true;
        }
    }

    private void FlushRowGroup()
    {
        _group!.Rows = _pending;
        _snapshot!.Add(_group);
        _group = null;
        _pending = 0;
    }

    private void Count(string rule) => _counts[rule] = _counts.GetValueOrDefault(rule) + 1;

    private static Target TargetOf(FeatureSpec f) => f.Type switch
    {
        FeatureType.Numeric => Target.Numeric,
        FeatureType.Boolean => Target.Boolean,
        _ => Target.Categorical,
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Truncate(ReadOnlySpan<char> raw) =>
        new(raw.Length > DatasetContract.MaxReportedValueLength ? raw[..DatasetContract.MaxReportedValueLength] : raw);

    /// <summary>One spec column: its contract, the current row's value and the committed values.</summary>
    private class ColumnRule
    {
        private HashSet<string>? _interned;

        public ColumnRule(string name, Target target, ColumnContract? contract)
        {
            Name = name;
            Target = target;
            Contract = contract;
            if (target is Target.Categorical or Target.MulticlassLabel)
            {
                Texts = new GrowableArray<string?>();
            }
            else
            {
                Floats = new GrowableArray<float>();
            }
        }

        public string Name { get; }

        public Target Target { get; }

        /// <summary>A feature's contract; null for the label.</summary>
        public ColumnContract? Contract { get; }

        public GrowableArray<float>? Floats { get; }

        public GrowableArray<string?>? Texts { get; }

        public float ScratchFloat { get; set; }

        public string? ScratchText { get; set; }

        public string Intern(ReadOnlySpan<char> value)
        {
            _interned ??= new HashSet<string>(StringComparer.Ordinal);
            var lookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(value, out var existing))
            {
                return existing;
            }

            var s = new string(value);

            // High-cardinality text (ids, free text) would only grow the pool without sharing anything.
            if (_interned.Count < MaxInternedPerColumn)
            {
                _interned.Add(s);
            }

            return s;
        }

        public void Commit()
        {
            if (Floats is not null)
            {
                Floats.Add(ScratchFloat);
            }
            else
            {
                Texts!.Add(ScratchText);
            }
        }

        public virtual DataColumn Build() => Floats is not null
            ? DataColumn.Float(Name, Floats.ToArray())
            : DataColumn.Text(Name, Texts!.ToArray());
    }

    /// <summary>
    /// The label. Binary: boolean-like values (true/false, 1/0, yes/no, any case), or with <c>positiveClass</c> that
    /// class and exactly one other, stored as 1/0 with the names kept on the column. Multiclass: any string or
    /// integer (only the declared classes when the spec lists them). Regression: a finite number.
    /// </summary>
    private sealed class LabelRule : ColumnRule
    {
        private const int MaxListedValues = 20;
        private const int MaxCountedValues = 1000;

        private readonly ModelSpec _spec;
        private readonly HashSet<string>? _classes;
        private readonly string? _positive;
        private string? _negative;

        // Distinct values that broke the binary rules (bounded), and how many rows held them, for the file-level explanation.
        private readonly HashSet<string> _offending = new(StringComparer.Ordinal);
        private long _offendingRows;

        // Every valid row's class, kept when rows leave for a snapshot in row groups (the class and holdout checks need
        // them all): a byte per row for a binary label, the class name's reference for multiclass; nothing for regression.
        private readonly GrowableArray<byte>? _binaryClasses;
        private readonly GrowableArray<string?>? _allTexts;

        public LabelRule(ModelSpec spec, bool keepValues)
            : base(spec.Label, spec.Task switch
            {
                ModelTask.Binary => Target.BinaryLabel,
                ModelTask.Regression => Target.RegressionLabel,
                _ => Target.MulticlassLabel,
            }, contract: null)
        {
            _spec = spec;
            _positive = spec.Task == ModelTask.Binary ? spec.PositiveClass : null;
            _classes = spec.Task == ModelTask.Multiclass && spec.Classes is { Count: > 0 } ? new HashSet<string>(spec.Classes, StringComparer.Ordinal) : null;
            if (keepValues)
            {
                _binaryClasses = Target == Target.BinaryLabel ? new GrowableArray<byte>() : null;
                _allTexts = Target == Target.MulticlassLabel ? new GrowableArray<string?>() : null;
            }
        }

        /// <summary>Row <paramref name="row"/>'s binary class: 1 positive, 0 negative.</summary>
        public int BinaryClassOf(int row) => _binaryClasses is { } kept ? kept[row] : Floats![row] > 0.5f ? 1 : 0;

        /// <summary>Every valid row's label so far (multiclass).</summary>
        public GrowableArray<string?>? AllTexts => _allTexts ?? Texts;

        /// <summary>Keeps the current row's label aside (rows that leave for a snapshot in row groups).</summary>
        public void KeepValue()
        {
            _binaryClasses?.Add(ScratchFloat > 0.5f ? (byte)1 : (byte)0);
            _allTexts?.Add(ScratchText);
        }

        /// <summary>[negative, positive] when the binary label is stated with class names; null otherwise.</summary>
        public IReadOnlyList<string>? ClassNames => _positive is not null && _negative is not null ? [_negative, _positive] : null;

        public string? PositiveClass => _positive;

        public void Missing(ContractAccumulator acc) =>
            acc.Problem(Name, ContractRules.MissingLabel, null, "Every row needs a label value; this one is missing.");

        public void Text(ContractAccumulator acc, ReadOnlySpan<char> value)
        {
            if (IsMissingToken(value))
            {
                Missing(acc);
                return;
            }

            switch (Target)
            {
                case Target.RegressionLabel:
                    if (FastNumber.TryParse(value, out var d))
                    {
                        Number(acc, d);
                    }
                    else
                    {
                        acc.Problem(Name, ContractRules.TypeError, Truncate(value), "Expected a finite number.");
                    }

                    break;
                case Target.BinaryLabel:
                    Binary(acc, value);
                    break;
                default:
                    if (_classes is not null && _classes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(value, out var known))
                    {
                        ScratchText = known;
                    }
                    else if (_classes is not null)
                    {
                        acc.Problem(Name, ContractRules.UnknownClass, Truncate(value), $"Expected one of the classes {ColumnContract.ListValues(_spec.Classes!)}.");
                    }
                    else
                    {
                        ScratchText = Intern(value);
                    }

                    break;
            }
        }

        public void Number(ContractAccumulator acc, double value)
        {
            switch (Target)
            {
                case Target.RegressionLabel:
                    if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
                    {
                        acc.Problem(Name, ContractRules.TypeError, Format(value), "Expected a finite number.");
                    }
                    else
                    {
                        ScratchFloat = (float)value;
                    }

                    break;
                default:
                    // Integer class ids (Parquet) read as their decimal text, like the same value in a CSV.
                    Text(acc, Format(value));
                    break;
            }
        }

        public void Boolean(ContractAccumulator acc, bool value)
        {
            if (Target == Target.BinaryLabel)
            {
                Binary(acc, value ? "true" : "false");
            }
            else
            {
                acc.Problem(Name, ContractRules.TypeError, value ? "true" : "false", Target == Target.RegressionLabel ? "Expected a finite number." : "Expected a class name.");
            }
        }

        /// <summary>Explains, at file level, a binary label that fails as a whole: class names without <c>positiveClass</c>, or more than two values.</summary>
        public void ExplainLabelProblems(ContractAccumulator acc, long rows, bool rowsAccepted)
        {
            // A stray value among many good ones is an ordinary dropped row; a label that sinks the file gets the reason.
            if (_offendingRows == 0 || (rowsAccepted && _offendingRows <= _spec.MaxInvalidRowFraction * rows))
            {
                return;
            }

            var seen = ColumnContract.ListValues(_offending, MaxListedValues) + (_offending.Count == MaxCountedValues ? " (counting stopped there)" : "");
            if (_positive is null)
            {
                acc.AddFileProblem(ContractRules.PositiveClassRequired,
                    $"The binary label '{Name}' has values that are not boolean-like (true/false, 1/0, yes/no): {seen}. " +
                    "Set positiveClass in the spec to the value that means the positive class; the one other value is the negative class.");
            }
            else
            {
                acc.AddFileProblem(ContractRules.TooManyClasses,
                    $"A binary label has two values: '{_positive}' (positiveClass) and one other ('{_negative}', the first seen). '{Name}' also has {seen} in {_offendingRows} row(s).");
            }
        }

        public override DataColumn Build() => Floats is not null
            ? DataColumn.Float(Name, Floats.ToArray(), ClassNames)
            : DataColumn.Text(Name, Texts!.ToArray());

        private void Binary(ContractAccumulator acc, ReadOnlySpan<char> value)
        {
            if (_positive is null)
            {
                if (ColumnContract.TryParseBoolean(value, out var b))
                {
                    ScratchFloat = b ? 1f : 0f;
                }
                else
                {
                    Offending(value);
                    acc.Problem(Name, ContractRules.TypeError, Truncate(value),
                        "Expected true/false, 1/0 or yes/no; for other class names set positiveClass in the spec.");
                }

                return;
            }

            if (SameClass(value, _positive))
            {
                ScratchFloat = 1f;
            }
            else if (_negative is null || SameClass(value, _negative))
            {
                _negative ??= new string(value);
                ScratchFloat = 0f;
            }
            else
            {
                Offending(value);
                acc.Problem(Name, ContractRules.UnknownClass, Truncate(value),
                    $"Expected '{_positive}' (positiveClass) or '{_negative}' (the other class); a binary label has two values.");
            }
        }

        private void Offending(ReadOnlySpan<char> value)
        {
            _offendingRows++;
            if (_offending.Count < MaxCountedValues)
            {
                _offending.Add(Truncate(value));
            }
        }

        // Case-insensitive for boolean-like tokens ("True" is positiveClass "true"), as those are read today; exact otherwise.
        private static bool SameClass(ReadOnlySpan<char> value, string name) =>
            value.SequenceEqual(name)
            || (ColumnContract.TryParseBoolean(value, out var a) && ColumnContract.TryParseBoolean(name, out var b) && a == b);

        private bool IsMissingToken(ReadOnlySpan<char> value)
        {
            foreach (var t in _spec.MissingValues)
            {
                if (value.SequenceEqual(t)) return true;
            }

            return false;
        }
    }

    /// <summary>Single-class labels and too little data: checked on the rows that would be trained on.</summary>
    private static class TrainingDataCheck
    {
        public static void Run(ModelSpec spec, LabelRule label, int valid, ContractAccumulator acc)
        {
            var min = spec.MinimumRows ?? new MinimumRowsSpec();
            var holdoutRows = Training.HoldoutSplit.HoldoutRowsOf(valid, spec.Holdout);
            var shortfalls = new List<string>();
            if (valid < min.Total) shortfalls.Add($"{valid} valid rows (need {min.Total})");
            if (holdoutRows.Length < min.Holdout) shortfalls.Add($"{holdoutRows.Length} holdout rows (need {min.Holdout})");

            if (spec.Task != ModelTask.Regression)
            {
                var (names, classOf) = Classes(spec, label);
                var total = new long[names.Count];
                var holdout = new long[names.Count];
                for (var r = 0; r < valid; r++) total[classOf(r)]++;
                foreach (var r in holdoutRows) holdout[classOf(r)]++;

                var present = Enumerable.Range(0, names.Count).Where(k => total[k] > 0).ToList();
                if (present.Count == 1)
                {
                    acc.AddFileProblem(ContractRules.SingleClass,
                        $"The label '{spec.Label}' has one class only ('{names[present[0]]}' in all {valid} valid rows); a classifier needs at least two.");
                    return;
                }

                for (var k = 0; k < names.Count; k++)
                {
                    if (total[k] < min.PerClass || holdout[k] < min.HoldoutPerClass)
                    {
                        shortfalls.Add($"class '{names[k]}': {total[k]} rows (need {min.PerClass}), {holdout[k]} in the holdout (need {min.HoldoutPerClass})");
                    }
                }
            }

            if (shortfalls.Count > 0)
            {
                acc.AddFileProblem(ContractRules.TooLittleData,
                    $"Too little data to train and gate a model: {string.Join("; ", shortfalls)}. " +
                    "Add rows, or lower minimumRows in the spec (holdout counts come from the seeded holdout split).");
            }
        }

        private static (IReadOnlyList<string> Names, Func<int, int> ClassOf) Classes(ModelSpec spec, LabelRule label)
        {
            if (spec.Task == ModelTask.Binary)
            {
                IReadOnlyList<string> names = label.ClassNames ?? (label.PositiveClass is { } p ? ["(other)", p] : ["false", "true"]);
                return (names, label.BinaryClassOf);
            }

            var texts = label.AllTexts!;
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var ordered = new List<string>();
            foreach (var c in spec.Classes ?? [])
            {
                if (index.TryAdd(c, ordered.Count)) ordered.Add(c);
            }

            var ids = new int[texts.Count];
            for (var r = 0; r < ids.Length; r++)
            {
                var v = texts[r]!;
                if (!index.TryGetValue(v, out var k))
                {
                    index[v] = k = ordered.Count;
                    ordered.Add(v);
                }

                ids[r] = k;
            }

            return (ordered, r => ids[r]);
        }
    }
}
