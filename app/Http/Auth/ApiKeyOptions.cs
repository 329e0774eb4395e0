namespace Serverless.App.Http.Auth;

/// <summary>What <see cref="ApiKeyFilter"/> checks; each host fills it from its own settings.</summary>
public sealed class ApiKeyOptions
{
    public const string DefaultHeader = "x-api-key";

    /// <summary>Grants <see cref="ApiRole.Scoring"/>; empty means no scoring key is configured.</summary>
    public string ScoringKey { get; set; } = "";

    /// <summary>Grants <see cref="ApiRole.Admin"/> (and scoring); empty means no admin key is configured.</summary>
    public string AdminKey { get; set; } = "";

    /// <summary>The header carrying the key; <c>x-api-key</c> by default, so clients work against any host.</summary>
    public string Header { get; set; } = DefaultHeader;

    /// <summary>
    /// With no key configured at all: true lets every request through as admin (a local host started with keys
    /// explicitly emptied); false answers 401 (fail closed: the scorer, whose ingress has no function keys).
    /// </summary>
    public bool AllowWithoutKey { get; set; }

    /// <summary>The setting that holds the key(s), named in the 401 when none is configured.</summary>
    public string KeySetting { get; set; } = "ApiKey";

    /// <summary>Values of the token's <c>roles</c> claim (Entra ID app roles) that grant each role, when a host authenticates bearer tokens.</summary>
    public string ScoringAppRole { get; set; } = "Scoring";

    public string AdminAppRole { get; set; } = "Admin";
}
