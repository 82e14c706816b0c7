using System.Collections.Immutable;

namespace Suite.Queue.Waiting;

/// <summary>
/// A pool's waiting requests: strict priority between bands (the highest band with anything waiting goes first),
/// round-robin between flows inside a band, FCFS or earliest-deadline inside a flow. Not thread-safe: the pool's
/// admission state serialises every call.
/// </summary>
internal sealed class PoolQueue(Func<int, BandLimits> limitsFor, FlowOrdering ordering)
{
    private readonly SortedDictionary<int, Band> _bands = new(Comparer<int>.Create((a, b) => b.CompareTo(a)));
    private readonly Dictionary<string, int> _depthByModel = new(StringComparer.Ordinal);
    private long _sequence;

    public int Count { get; private set; }

    /// <summary>Whether a band at or above <paramref name="band"/> has anything waiting (a new request would be behind it).</summary>
    public bool AnyAtOrAbove(int band) => _bands.Any(pair => pair.Key >= band && pair.Value.Count > 0);

    public WaitingRequest Create(string id, int band, Contracts.Catalog.Criticality criticality, string flow, string model, long size, DateTimeOffset now, DateTimeOffset deadline) =>
        new(id, band, criticality, flow, model, size, now, deadline) { Sequence = ++_sequence };

    /// <summary>Adds the request unless its band is at a limit.</summary>
    public bool TryAdd(WaitingRequest request)
    {
        if (!_bands.TryGetValue(request.Band, out var band))
        {
            band = _bands[request.Band] = new Band(request.Band, limitsFor(request.Band), ordering);
        }

        if (!band.HasRoomFor(request.SizeBytes))
        {
            return false;
        }

        band.Add(request);
        Count++;
        _depthByModel[request.Model] = _depthByModel.GetValueOrDefault(request.Model) + 1;
        return true;
    }

    /// <summary>Takes the request out before it is admitted (expired or withdrawn); false if it already left.</summary>
    public bool Remove(WaitingRequest request)
    {
        if (request.LeftQueue || !_bands.TryGetValue(request.Band, out var band))
        {
            return false;
        }

        request.LeftQueue = true;
        band.Forget(request);
        Left(request);
        return true;
    }

    /// <summary>Takes out every waiting request <paramref name="select"/> picks (e.g. the sheddable ones).</summary>
    public List<WaitingRequest> RemoveWhere(Func<WaitingRequest, bool> select)
    {
        var chosen = _bands.Values.SelectMany(band => band.Waiting()).Where(select).ToList();
        chosen.RemoveAll(request => !Remove(request));
        return chosen;
    }

    /// <summary>The next request to admit, in band, flow and arrival order; null when nothing waits.</summary>
    public WaitingRequest? Take()
    {
        foreach (var band in _bands.Values)
        {
            if (band.Count > 0 && band.Take() is { } request)
            {
                request.LeftQueue = true;
                Left(request);
                return request;
            }
        }

        return null;
    }

    public ImmutableDictionary<string, int> DepthByModel() => _depthByModel.ToImmutableDictionary(StringComparer.Ordinal);

    public ImmutableDictionary<int, int> DepthByBand() =>
        _bands.Where(pair => pair.Value.Count > 0).ToImmutableDictionary(pair => pair.Key, pair => pair.Value.Count);

    private void Left(WaitingRequest request)
    {
        Count--;
        if (--_depthByModel[request.Model] == 0)
        {
            _depthByModel.Remove(request.Model);
        }
    }
}
