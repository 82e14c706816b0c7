namespace Suite.Picker.Scheduling;

/// <summary>What the scheduler needs to know about one request.</summary>
/// <param name="Model">The model the request targets after any rewrite; null for requests without a body.</param>
/// <param name="Subset">The gateway's subset hint (<c>ip:port</c> or <c>ip</c>); null when the gateway sent none.</param>
/// <param name="Explain">Whether to build a human-readable account of the decision.</param>
/// <param name="PrefixHashes">The prompt's chained block hashes (<see cref="Prefix.PrefixHashes"/>); empty when the profile scores no prefix.</param>
public readonly record struct SchedulingRequest(
    string? Model, string[]? Subset, bool Explain, ReadOnlyMemory<ulong> PrefixHashes = default);
