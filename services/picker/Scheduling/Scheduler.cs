using Suite.Contracts.Pools;
using Suite.Picker.DecisionSharing;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling.InFlight;

namespace Suite.Picker.Scheduling;

/// <summary>
/// One decision: the pool snapshot narrowed by the gateway's subset hint, split into fresh and stale endpoints,
/// filtered, scored by the weighted scorers and ordered by the picker. Reads immutable state only; never blocks.
/// </summary>
/// <param name="outbox">Where decisions go to be shared with peer replicas; null when sharing is off.</param>
public sealed class Scheduler(
    IPoolState pool,
    ISchedulingProfileSource profiles,
    InFlightLoad inFlight,
    TimeProvider time,
    RoutingDecisionOutbox? outbox = null)
{
    public PickResult Pick(in SchedulingRequest request)
    {
        var snapshot = pool.Current;
        if (snapshot is null || snapshot.Endpoints.IsEmpty)
        {
            return PickResult.Failed(PickFailure.NoEndpoints);
        }

        var profile = profiles.Current;
        profile.Prefix?.Index.Retain(snapshot);
        var scratch = ScheduleScratch.Rent(snapshot.Endpoints.Length, profile.Scorers.Length, profile.Destinations);
        var (fresh, stale) = Partition(request, snapshot, profile, scratch);
        try
        {
            if (fresh + stale == 0)
            {
                return PickResult.Failed(request.Subset is null ? PickFailure.NoEndpoints : PickFailure.SubsetMatchesNone);
            }

            // Stale figures are not trusted: stale endpoints compete only when no endpoint is fresh, and
            // otherwise serve as last-resort fallbacks.
            var candidates = fresh > 0 ? scratch.Candidates.AsSpan(0, fresh) : scratch.Stale.AsSpan(0, stale);
            var count = candidates.Length;
            foreach (var filter in profile.Filters)
            {
                count = filter.Filter(request, candidates[..count]);
                if (count == 0)
                {
                    return PickResult.Failed(PickFailure.NothingSchedulable);
                }
            }

            candidates = candidates[..count];
            var totals = scratch.Totals.AsSpan(0, count);
            Score(request, profile, candidates, totals, scratch.ScorerScores);

            var chosen = scratch.Chosen.AsSpan(0, Math.Min(profile.Destinations, count));
            chosen = chosen[..profile.Picker.Pick(totals, chosen)];
            var lastResort = fresh > 0 ? scratch.Stale.AsSpan(0, stale) : [];
            var destination = Destination(candidates, chosen, lastResort, profile.Destinations);
            if (profile.Prefix is { } prefix && !request.PrefixHashes.IsEmpty)
            {
                var primary = candidates[chosen[0]].Endpoint;
                prefix.Record(request, primary);
                outbox?.Offer(primary.Address, prefix.Settings.BlockBytes, request.PrefixHashes.Span);
            }

            var explanation = request.Explain
                ? DecisionExplanation.Format(profile, candidates, totals, scratch.ScorerScores, candidates[chosen[0]].Endpoint)
                : null;
            return new PickResult(PickFailure.None, candidates[chosen[0]].Endpoint, destination, count, explanation);
        }
        finally
        {
            scratch.Clear(fresh, stale);
        }
    }

    private (int Fresh, int Stale) Partition(
        in SchedulingRequest request, PoolSnapshot snapshot, SchedulingProfile profile, ScheduleScratch scratch)
    {
        var loads = inFlight.For(snapshot);
        var now = time.GetUtcNow().UtcTicks;
        var staleAfter = profile.StaleAfter.Ticks;
        var fresh = 0;
        var stale = 0;
        for (var i = 0; i < snapshot.Endpoints.Length; i++)
        {
            var endpoint = snapshot.Endpoints[i];
            if (request.Subset is { } subset && !InSubset(endpoint.Address, subset))
            {
                continue;
            }

            var measuredAt = endpoint.Metrics.MeasuredAt?.UtcTicks;
            var unseen = loads[i].Unseen(measuredAt);
            if (!endpoint.Metrics.Stale && (measuredAt is null || now - measuredAt.Value <= staleAfter))
            {
                scratch.Candidates[fresh++] = new Candidate(endpoint, endpoint.Metrics, unseen);
            }
            else
            {
                scratch.Stale[stale++] = new Candidate(endpoint, EndpointMetrics.Empty, unseen);
            }
        }

        return (fresh, stale);
    }

    private static void Score(
        in SchedulingRequest request,
        SchedulingProfile profile,
        ReadOnlySpan<Candidate> candidates,
        Span<double> totals,
        double[] scorerScores)
    {
        totals.Clear();
        for (var s = 0; s < profile.Scorers.Length; s++)
        {
            var (scorer, weight) = profile.Scorers[s];
            var scores = scorerScores.AsSpan(s * candidates.Length, candidates.Length);
            scorer.Score(request, candidates, scores);
            for (var c = 0; c < candidates.Length; c++)
            {
                totals[c] += weight * scores[c];
            }
        }
    }

    /// <summary>Matches an endpoint against the gateway's subset, whose entries are <c>ip:port</c> or a bare <c>ip</c> (IPv6 without brackets).</summary>
    internal static bool InSubset(string address, string[] subset)
    {
        var colon = address.LastIndexOf(':');
        var ip = colon < 0 ? address.AsSpan() : address.AsSpan(0, colon);
        if (ip.StartsWith('[') && ip.EndsWith(']'))
        {
            ip = ip[1..^1];   // an IPv6 address:port keeps its IP in brackets; a bare-IP entry does not
        }

        foreach (var entry in subset)
        {
            if (string.Equals(entry, address, StringComparison.Ordinal) || ip.SequenceEqual(entry))
            {
                return true;
            }
        }

        return false;
    }

    private static string Destination(
        ReadOnlySpan<Candidate> candidates, ReadOnlySpan<int> chosen, ReadOnlySpan<Candidate> lastResort, int wanted)
    {
        if (wanted == 1 || (chosen.Length == 1 && lastResort.IsEmpty))
        {
            return candidates[chosen[0]].Endpoint.Address;
        }

        var addresses = new List<string>(wanted);
        foreach (var index in chosen)
        {
            addresses.Add(candidates[index].Endpoint.Address);
        }

        for (var i = 0; i < lastResort.Length && addresses.Count < wanted; i++)
        {
            addresses.Add(lastResort[i].Endpoint.Address);
        }

        return string.Join(',', addresses);
    }
}
