namespace Suite.Queue.Waiting;

/// <summary>One flow's waiting requests within a band, in FCFS or earliest-deadline order.</summary>
internal sealed class FlowLane(string flow, FlowOrdering ordering)
{
    private readonly PriorityQueue<WaitingRequest, (long, long)> _requests = new();

    public string Flow { get; } = flow;

    /// <summary>Requests still waiting; withdrawn ones are skipped lazily when they reach the head.</summary>
    public int Count { get; private set; }

    public void Add(WaitingRequest request)
    {
        var key = ordering == FlowOrdering.EarliestDeadline ? (request.Deadline.UtcTicks, request.Sequence) : (request.Sequence, 0L);
        _requests.Enqueue(request, key);
        Count++;
    }

    /// <summary>The requests still waiting, in no particular order.</summary>
    public IEnumerable<WaitingRequest> Waiting() => _requests.UnorderedItems.Select(item => item.Element).Where(request => request.IsWaiting);

    /// <summary>Called when a request left the queue other than by <see cref="Take"/> (expired, withdrawn).</summary>
    public void Forget() => Count--;

    /// <summary>The next waiting request, or null when none is left.</summary>
    public WaitingRequest? Take()
    {
        while (_requests.TryDequeue(out var request, out _))
        {
            if (request.IsWaiting)
            {
                Count--;
                return request;
            }
        }

        return null;
    }
}
