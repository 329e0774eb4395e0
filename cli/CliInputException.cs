namespace Serverless.Cli;

/// <summary>Bad local input (a file, an option value): exit code <see cref="CliExitCodes.InvalidInput"/>.</summary>
public sealed class CliInputException(string message) : Exception(message);
