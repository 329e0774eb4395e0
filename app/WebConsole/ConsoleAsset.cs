namespace Serverless.App.WebConsole;

/// <summary>One built console file: its bytes and the content type it is served with.</summary>
public sealed record ConsoleAsset(byte[] Content, string ContentType);
