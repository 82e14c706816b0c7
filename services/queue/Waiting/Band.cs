namespace Suite.Queue.Waiting;

/// <summary>
/// One priority band of a pool: its flows served round-robin (one request per flow per turn, so a tenant with a
/// long batch cannot starve one with a few requests), within the band's request and byte limits.
/// </summary>
internal sealed class Band(int priority, BandLimits limits, FlowOrdering ordering)
{
    private readonly Dictionary<string, FlowLane> _lanes = new(StringComparer.Ordinal);
    private readonly Queue<FlowLane> _turns = new();

    public int Priority { get; } = priority;

    public int Count { get; private set; }

    public long Bytes { get; private set; }

    public IEnumerable<WaitingRequest> Waiting() => _lanes.Values.SelectMany(lane => lane.Waiting());

    public bool HasRoomFor(long sizeBytes) => Count < limits.MaxRequests && Bytes + sizeBytes <= limits.MaxBytes;

    public void Add(WaitingRequest request)
    {
        if (!_lanes.TryGetValue(request.Flow, out var lane))
        {
            lane = _lanes[request.Flow] = new FlowLane(request.Flow, ordering);
            _turns.Enqueue(lane);
        }

        lane.Add(request);
        Count++;
        Bytes += request.SizeBytes;
    }

    /// <summary>A request left without being taken (expired or withdrawn).</summary>
    public void Forget(WaitingRequest request)
    {
        _lanes[request.Flow].Forget();
        Count--;
        Bytes -= request.SizeBytes;
    }

    /// <summary>The next request in round-robin order between flows; null when the band is empty.</summary>
    public WaitingRequest? Take()
    {
        while (_turns.TryDequeue(out var lane))
        {
            var request = lane.Take();
            if (lane.Count > 0)
            {
                _turns.Enqueue(lane);
            }
            else
            {
                _lanes.Remove(lane.Flow);
            }

            if (request is not null)
            {
                Count--;
                Bytes -= request.SizeBytes;
                return request;
            }
        }

        return null;
    }
}
