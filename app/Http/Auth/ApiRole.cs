namespace Serverless.App.Http.Auth;

/// <summary>
/// Who may call a route. <see cref="Scoring"/>: what a client that scores needs (predict, model details, labels for
/// its predictions); <see cref="Admin"/>: everything that changes what is served or reads what others sent. Admin
/// includes scoring.
/// </summary>
public enum ApiRole
{
    Scoring,
    Admin,
}

/// <summary>Endpoint metadata naming the role a route needs; <see cref="ApiKeyFilter"/> enforces it.</summary>
public sealed record RequiresRole(ApiRole Role);
