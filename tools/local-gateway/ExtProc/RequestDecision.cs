using Envoy.Service.ExtProc.V3;

namespace Suite.LocalGateway.ExtProc;

/// <summary>What the picker made of a request: an answer of its own, or where to send it and what to send.</summary>
internal abstract record RequestDecision
{
    private RequestDecision()
    {
    }

    /// <summary>The picker answered the request itself (ImmediateResponse).</summary>
    public sealed record Answered(ImmediateResponse Response) : RequestDecision;

    /// <param name="Destinations">The primary endpoint first, then the fallbacks, in order.</param>
    /// <param name="HeaderMutations">Every header mutation the picker sent for the request, in order.</param>
    /// <param name="Body">The body to forward: the picker's rewrite, or the original.</param>
    public sealed record Routed(IReadOnlyList<string> Destinations, IReadOnlyList<HeaderMutation> HeaderMutations, ReadOnlyMemory<byte> Body)
        : RequestDecision;

    /// <summary>The picker broke the protocol (no destination, body never ended); the gateway answers 500.</summary>
    public sealed record Broken(string Problem) : RequestDecision;
}
