namespace Serverless.Scorer.Hosting;

/// <summary>
/// Bound from <c>Scorer:EntraId</c>. With <see cref="Audience"/> set, the scorer accepts Entra ID access tokens
/// (<c>Authorization: Bearer</c>) whose <c>roles</c> claim holds <see cref="ScoringRole"/> (an app role of the API's
/// app registration, assigned to the calling user, group, app or managed identity); the API key stays the fallback.
/// </summary>
public sealed class ScorerEntraIdOptions
{
    public const string Section = "Scorer:EntraId";

    /// <summary><c>https://login.microsoftonline.com/{tenant-id}/v2.0</c>: issuer and signing keys come from its OpenID metadata.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The API's application ID URI or client id, as the token's <c>aud</c> claim carries it.</summary>
    public string Audience { get; set; } = "";

    /// <summary>The app role value that grants scoring.</summary>
    public string ScoringRole { get; set; } = "Scoring";

    public bool Enabled => Audience.Length > 0;
}
