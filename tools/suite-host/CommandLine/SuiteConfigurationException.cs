namespace Suite.Host.CommandLine;

/// <summary>A bad flag or a bad cluster file: one line that names it. The command exits with code 2.</summary>
internal sealed class SuiteConfigurationException(string message) : Exception(message);
