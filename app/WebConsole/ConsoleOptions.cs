namespace Serverless.App.WebConsole;

/// <summary>
/// Bound from <c>Console</c>. The Function App's template sets <c>Console__SignIn=Entra</c> together with its
/// authsettingsV2 (infra/app/api.bicep): with Easy Auth in front, function keys are refused before a function runs, so
/// the page offers Easy Auth's sign-in instead of a key form.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    public ConsoleSignIn SignIn { get; set; } = ConsoleSignIn.Key;
}
