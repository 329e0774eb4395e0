namespace Serverless.Core.Datasets;

/// <summary>One named, typed column of a <see cref="TabularDataset"/>. Exactly one of the arrays is set.</summary>
public sealed class DataColumn
{
    // One array field for either kind keeps the object as small as before ClassNames was added: predict builds one
    // column per input per request.
    private readonly Array _values;

    private DataColumn(string name, ColumnKind kind, Array values, IReadOnlyList<string>? classNames = null)
    {
        Name = name;
        Kind = kind;
        _values = values;
        ClassNames = classNames;
    }

    public string Name { get; }

    public ColumnKind Kind { get; }

    public float[]? Floats => _values as float[];

    public string?[]? Texts => _values as string?[];

    /// <summary>
    /// A binary label stated with class names (spec <c>positiveClass</c>): the user's names of the values 0 and 1,
    /// [negative, positive]. Null for boolean-like labels and every other column.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; }

    public int Length => Kind == ColumnKind.Float ? Floats!.Length : Texts!.Length;

    public static DataColumn Float(string name, float[] values, IReadOnlyList<string>? classNames = null) => new(name, ColumnKind.Float, values, classNames);

    public static DataColumn Text(string name, string?[] values) => new(name, ColumnKind.Text, values);

    public float[] FloatValues => Floats ?? throw new InvalidOperationException($"Column '{Name}' holds text, not numbers.");

    public string?[] TextValues => Texts ?? throw new InvalidOperationException($"Column '{Name}' holds numbers, not text.");

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public DataColumn Select(IReadOnlyList<int> indices)
    {
        if (Kind == ColumnKind.Float)
        {
            var src = Floats!;
            var dst = new float[indices.Count];
            for (var i = 0; i < dst.Length; i++) dst[i] = src[indices[i]];
            return Float(Name, dst, ClassNames);
        }

        var s = Texts!;
        var d = new string?[indices.Count];
        for (var i = 0; i < d.Length; i++) d[i] = s[indices[i]];
        return Text(Name, d);
    }
}
