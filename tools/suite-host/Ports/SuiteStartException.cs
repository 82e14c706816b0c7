namespace Suite.Host.Ports;

/// <summary>The suite could not start (a port is taken, an address cannot be bound): one line that says which. Exit code 1.</summary>
internal sealed class SuiteStartException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The exit code of a service whose Program ended before it started (the picker's 2: a bad setting or file).</summary>
    public int? ServiceExitCode { get; init; }
}
