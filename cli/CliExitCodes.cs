namespace Serverless.Cli;

/// <summary>What the tool's exit status means, so scripts can branch on it.</summary>
public static class CliExitCodes
{
    public const int Ok = 0;

    /// <summary>The API answered an error (its problem details are printed) or could not be reached.</summary>
    public const int ApiError = 1;

    /// <summary>Bad local input: a missing or unreadable file, or a draft spec that fails the schema.</summary>
    public const int InvalidInput = 2;

    /// <summary>The work finished but not as hoped: a run failed, was canceled or quarantined; predict rejected rows.</summary>
    public const int Unsuccessful = 3;
}
