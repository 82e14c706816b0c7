using Suite.Contracts.Pools;

namespace Suite.Picker.Scheduling;

/// <summary>One endpoint as the scheduler sees it for one decision.</summary>
/// <param name="Metrics">The endpoint's figures when fresh; <see cref="EndpointMetrics.Empty"/> when stale, so no scorer trusts them.</param>
/// <param name="UnseenInFlight">Requests this picker sent there that the endpoint's last measurement cannot include.</param>
public readonly record struct Candidate(EndpointSnapshot Endpoint, EndpointMetrics Metrics, int UnseenInFlight);
