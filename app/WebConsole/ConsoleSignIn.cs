namespace Serverless.App.WebConsole;

/// <summary>How the console signs an operator in on this host.</summary>
public enum ConsoleSignIn
{
    /// <summary>A key form: the key goes to the API as <c>x-api-key</c> / <c>x-functions-key</c>.</summary>
    Key,

    /// <summary>App Service authentication (Easy Auth) in front: "Sign in with Microsoft", then its session cookie.</summary>
    Entra,
}
