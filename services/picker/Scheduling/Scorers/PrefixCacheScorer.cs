using System.Buffers;
using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.Picker.Scheduling.Prefix;

namespace Suite.Picker.Scheduling.Scorers;

/// <summary>
/// Prefers endpoints that probably still hold the request's prompt prefix in their KV cache: score = the fraction of
/// the request's blocks that the endpoint holds as a leading run (<see cref="PrefixCacheIndex"/>), scaled by the
/// <see cref="LoadGuard"/> when it is on. With the guard off it scores like the reference picker's approximate
/// prefix plugin.
/// </summary>
public sealed class PrefixCacheScorer(PrefixCacheIndex index, PrefixCacheSettings settings, SaturationThresholds saturation)
    : IEndpointScorer
{
    public const string TypeName = "prefix-cache";

    private const int StackCandidates = 128;

    public string Name => TypeName;

    public PrefixCacheSettings Settings => settings;

    public PrefixCacheIndex Index => index;

    public void Score(in SchedulingRequest request, ReadOnlySpan<Candidate> candidates, Span<double> scores)
    {
        var hashes = request.PrefixHashes.Span;
        if (hashes.IsEmpty)
        {
            scores[..candidates.Length].Clear();
            return;
        }

        int[]? rented = null;
        var buffer = candidates.Length <= StackCandidates
            ? stackalloc int[StackCandidates * 2]
            : (rented = ArrayPool<int>.Shared.Rent(candidates.Length * 2));
        try
        {
            var ids = buffer[..candidates.Length];
            var matched = buffer.Slice(candidates.Length, candidates.Length);
            for (var c = 0; c < candidates.Length; c++)
            {
                ids[c] = index.IdOf(candidates[c].Endpoint.Address);
            }

            index.Match(hashes, ids, matched, settings.MaxAge);
            for (var c = 0; c < candidates.Length; c++)
            {
                scores[c] = (double)matched[c] / hashes.Length;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }

        if (settings.LoadGuard)
        {
            LoadGuard.Apply(candidates, scores[..candidates.Length], saturation);
        }
    }

    /// <summary>The chosen endpoint now holds every block of the request.</summary>
    public void Record(in SchedulingRequest request, EndpointSnapshot chosen) =>
        index.Record(chosen.Address, request.PrefixHashes.Span, settings.CapacityOf(chosen.Metrics));
}
