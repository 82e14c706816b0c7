namespace Suite.Host.Tests.Faults;

/// <summary>How one client request through the gateway ended.</summary>
internal enum LoadOutcome
{
    /// <summary>2xx and the whole body: a JSON completion, or an event stream through <c>data: [DONE]</c>.</summary>
    Served,

    /// <summary>An explicit HTTP error status (4xx/5xx) from the gateway or the picker.</summary>
    ErrorStatus,

    /// <summary>2xx headers, then the connection was cut: the client is told by the broken transfer (Envoy resets the stream).</summary>
    Broken,

    /// <summary>2xx and a body that ended cleanly but incomplete: a loss the client cannot see. Must never happen.</summary>
    Truncated,

    /// <summary>No end within the client's timeout. Must never happen.</summary>
    Hung,

    /// <summary>The gateway itself could not be reached. Must never happen: the gateway never stops in these tests.</summary>
    Unreachable,
}

/// <param name="Started">Since the load started.</param>
/// <param name="Ended">Since the load started.</param>
/// <param name="Status">The HTTP status; 0 when none arrived.</param>
internal sealed record LoadResult(string Model, bool Stream, TimeSpan Started, TimeSpan Ended, LoadOutcome Outcome, int Status, string? Detail);
