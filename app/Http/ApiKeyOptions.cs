namespace Serverless.App.Http;

/// <summary>What <see cref="ApiKeyFilter"/> checks; each host fills it from its own settings.</summary>
public sealed class ApiKeyOptions
{
    public const string DefaultHeader = "x-api-key";

    /// <summary>The key every guarded route needs; empty means none is configured.</summary>
    public string Key { get; set; } = "";

    /// <summary>The header carrying the key; <c>x-api-key</c> by default, so clients work against any host.</summary>
    public string Header { get; set; } = DefaultHeader;

    /// <summary>
    /// With no key configured: true lets every request through (the local host on loopback); false answers 401
    /// (fail closed: the scorer, whose ingress has no function keys).
    /// </summary>
    public bool AllowWithoutKey { get; set; }

    /// <summary>The setting that holds the key, named in the 401 when none is configured.</summary>
    public string KeySetting { get; set; } = "ApiKey";
}
