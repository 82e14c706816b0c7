using Suite.Contracts.Pools;

namespace Suite.Picker.Scheduling;

/// <summary>The outcome of one scheduling decision: endpoints in preference order, or why there are none.</summary>
/// <param name="Destination">The <c>x-gateway-destination-endpoint</c> value: primary first, then fallbacks, comma-separated.</param>
/// <param name="Explanation">Per-scorer scores of the top candidates, when the request asked for them.</param>
public readonly record struct PickResult(
    PickFailure Failure,
    EndpointSnapshot? Primary,
    string? Destination,
    int CandidateCount,
    string? Explanation)
{
    public bool Succeeded => Failure == PickFailure.None;

    public static PickResult Failed(PickFailure failure, int candidateCount = 0) =>
        new(failure, null, null, candidateCount, null);
}
