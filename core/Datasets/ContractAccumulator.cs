using System.Globalization;
using Serverless.Core.Specs;

namespace Serverless.Core.Datasets;

/// <summary>
/// The format-independent half of the data contract: CSV and Parquet readers hand it one row at a time
/// (cell by cell, already parsed), it applies the spec's rules, keeps valid rows in per-column buffers and
/// tallies problems. A row is committed only when all its cells pass.
/// </summary>
internal sealed class ContractAccumulator
{
    private const int MaxInternedPerColumn = 1 << 16;

    private readonly ModelSpec _spec;
    private readonly ColumnRule[] _columns;
    private readonly List<FileProblem> _fileProblems = [];
    private readonly List<RowProblem> _rowProblems = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private long _row;
    private int _line;
    private bool _rowInvalid;
    private long _invalidRows;
    private bool _truncated;

    public ContractAccumulator(ModelSpec spec)
    {
        _spec = spec;
        _columns = [.. spec.Features.Select(ColumnRule.ForFeature), ColumnRule.ForLabel(spec)];
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

    public void AddFileProblem(string rule, string message)
    {
        _fileProblems.Add(new FileProblem(rule, message));
        Count(rule);
    }

    /// <summary>Starts the next data row; <paramref name="line"/> is its CSV line, 0 for Parquet.</summary>
    public void BeginRow(int line)
    {
        _row++;
        _line = line;
        _rowInvalid = false;
    }

    public void SetMissing(int col)
    {
        var c = _columns[col];
        if (c.IsLabel)
        {
            Problem(c.Name, ContractRules.MissingLabel, null);
        }
        else if (!c.Nullable)
        {
            Problem(c.Name, ContractRules.NullNotAllowed, null);
        }
        else if (c.Floats is not null)
        {
            c.ScratchFloat = float.NaN;
        }
        else
        {
            c.ScratchText = null;
        }
    }

    /// <summary>A parsed number for a numeric feature or regression label; <paramref name="raw"/> is the text it came from, if any.</summary>
    public void SetNumber(int col, double value, ReadOnlySpan<char> raw)
    {
        var c = _columns[col];

        // float is what the trainer sees: anything it cannot hold is not a number for this platform.
        if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
        {
            Problem(c.Name, ContractRules.TypeError, Describe(value, raw));
        }
        else if (value < c.Min || value > c.Max)
        {
            Problem(c.Name, ContractRules.OutOfRange, Describe(value, raw));
        }
        else
        {
            c.ScratchFloat = (float)value;
        }
    }

    /// <summary>A boolean feature or binary label.</summary>
    public void SetBoolean(int col, bool value) => _columns[col].ScratchFloat = value ? 1f : 0f;

    /// <summary>A categorical feature or multiclass label, from CSV text: interned, so repeated values share one string.</summary>
    public void SetText(int col, ReadOnlySpan<char> value)
    {
        var c = _columns[col];
        if (c.Allowed is not null && c.Allowed.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(value, out var known))
        {
            c.ScratchText = known;
        }
        else if (CheckUnknown(c, value))
        {
            c.ScratchText = c.Intern(value);
        }
    }

    /// <summary>A categorical feature or multiclass label from a typed source.</summary>
    public void SetText(int col, string value)
    {
        var c = _columns[col];
        if (c.Allowed is not null && c.Allowed.TryGetValue(value, out var known))
        {
            c.ScratchText = known;
        }
        else if (CheckUnknown(c, value))
        {
            c.ScratchText = value;
        }
    }

    /// <summary>A cell the reader could not convert to the column's type.</summary>
    public void SetTypeError(int col, ReadOnlySpan<char> raw) => Problem(_columns[col].Name, ContractRules.TypeError, Truncate(raw));

    /// <summary>The whole row is unreadable (wrong field count, broken quoting).</summary>
    public void SetUnparseable(string detail) => Problem(string.Empty, ContractRules.UnparseableRow, detail);

    public void EndRow()
    {
        if (_rowInvalid)
        {
            _invalidRows++;
            return;
        }

        foreach (var c in _columns) c.Commit();
    }

    public ContractResult Complete(string fileName)
    {
        if (_row == 0 && _fileProblems.Count == 0)
        {
            AddFileProblem(ContractRules.EmptyFile, "The file has no data rows.");
        }

        var valid = _row - _invalidRows;
        var fraction = _row == 0 ? 0 : (double)_invalidRows / _row;
        var accepted = _fileProblems.Count == 0 && valid > 0 && fraction <= _spec.MaxInvalidRowFraction;
        var verdict = !accepted
            ? ValidationReport.Verdicts.Quarantined
            : _invalidRows > 0 ? ValidationReport.Verdicts.AcceptedWithDroppedRows : ValidationReport.Verdicts.Accepted;

        var report = new ValidationReport(
            fileName, _row, valid, _invalidRows, fraction, _spec.MaxInvalidRowFraction, verdict,
            _fileProblems, _rowProblems, _counts, _truncated);
        var data = accepted ? new TabularDataset(_columns.Select(c => c.Build()).ToList()) : null;
        return new ContractResult(data, report, accepted);
    }

    private bool CheckUnknown(ColumnRule c, ReadOnlySpan<char> value)
    {
        if (c.Allowed is null || !c.RejectUnknown)
        {
            return true;
        }

        Problem(c.Name, c.IsLabel ? ContractRules.UnknownClass : ContractRules.UnknownCategory, Truncate(value));
        return false;
    }

    private void Problem(string column, string rule, string? value)
    {
        _rowInvalid = true;
        Count(rule);
        if (_rowProblems.Count < DatasetContract.MaxStoredRowProblems)
        {
            _rowProblems.Add(new RowProblem(_row, _line, column, rule, value));
        }
        else
        {
            _truncated = true;
        }
    }

    private void Count(string rule) => _counts[rule] = _counts.GetValueOrDefault(rule) + 1;

    private static string Describe(double value, ReadOnlySpan<char> raw) =>
        raw.IsEmpty ? value.ToString("R", CultureInfo.InvariantCulture) : Truncate(raw);

    private static string Truncate(ReadOnlySpan<char> raw) =>
        new(raw.Length > DatasetContract.MaxReportedValueLength ? raw[..DatasetContract.MaxReportedValueLength] : raw);

    /// <summary>One spec column: its rules, the current row's value and the committed values.</summary>
    private sealed class ColumnRule
    {
        private HashSet<string>? _interned;

        private ColumnRule(string name, Target target, bool isLabel)
        {
            Name = name;
            Target = target;
            IsLabel = isLabel;
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

        public bool IsLabel { get; }

        public bool Nullable { get; private init; }

        public double Min { get; private init; } = double.NegativeInfinity;

        public double Max { get; private init; } = double.PositiveInfinity;

        /// <summary>Declared categories or classes; null when any value is accepted.</summary>
        public HashSet<string>? Allowed { get; private init; }

        public bool RejectUnknown { get; private init; }

        public GrowableArray<float>? Floats { get; }

        public GrowableArray<string?>? Texts { get; }

        public float ScratchFloat { get; set; }

        public string? ScratchText { get; set; }

        public static ColumnRule ForFeature(FeatureSpec f) => new(f.Name, f.Type switch
        {
            FeatureType.Numeric => Target.Numeric,
            FeatureType.Boolean => Target.Boolean,
            _ => Target.Categorical,
        }, isLabel: false)
        {
            Nullable = f.Nullable,
            Min = f.Min ?? double.NegativeInfinity,
            Max = f.Max ?? double.PositiveInfinity,
            Allowed = f.Type == FeatureType.Categorical && f.Categories is { Count: > 0 } ? new HashSet<string>(f.Categories, StringComparer.Ordinal) : null,
            RejectUnknown = f.UnknownCategory == UnknownCategoryPolicy.Reject,
        };

        public static ColumnRule ForLabel(ModelSpec spec) => new(spec.Label, spec.Task switch
        {
            ModelTask.Binary => Target.BinaryLabel,
            ModelTask.Regression => Target.RegressionLabel,
            _ => Target.MulticlassLabel,
        }, isLabel: true)
        {
            Allowed = spec.Task == ModelTask.Multiclass && spec.Classes is { Count: > 0 } ? new HashSet<string>(spec.Classes, StringComparer.Ordinal) : null,
            RejectUnknown = true,
        };

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

        public DataColumn Build() => Floats is not null
            ? DataColumn.Float(Name, Floats.ToArray())
            : DataColumn.Text(Name, Texts!.ToArray());
    }
}
