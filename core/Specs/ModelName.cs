namespace Serverless.Core.Specs;

/// <summary>Model names become blob prefixes, queue message keys and URL segments, so they are kept to a safe alphabet.</summary>
public static class ModelName
{
    public const int MaxLength = 63;

    public const string Rule = "1–63 characters of lowercase letters, digits and '-', not starting with '-'";

    /// <summary>True for <c>^[a-z0-9][a-z0-9-]{0,62}$</c>.</summary>
    public static bool IsValidModelName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name[0] == '-')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
