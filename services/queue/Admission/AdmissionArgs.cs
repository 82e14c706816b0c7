using Suite.Contracts.Catalog;

namespace Suite.Queue.Admission;

/// <summary>What a picker asks to admit.</summary>
/// <param name="Priority">The objective's priority when the request named a known one; it then decides the band.</param>
/// <param name="Deadline">Null: the default time-to-live.</param>
public sealed record AdmissionArgs(
    string Pool, string RequestId, Criticality Criticality, int? Priority, string FairnessId, string TargetModel, long SizeBytes, DateTimeOffset? Deadline);
