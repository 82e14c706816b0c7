namespace Suite.Picker.Scheduling.InFlight;

/// <summary>
/// The requests this picker has in flight to one endpoint, and which of them the endpoint's latest measurement
/// cannot have seen yet (dispatched after it was taken). Leases form a list in dispatch order, so everything a
/// newer measurement covers is trimmed from the head.
/// </summary>
public sealed class EndpointLoad(string address)
{
    private readonly Lock _lock = new();
    private DispatchLease? _oldestUnseen;
    private DispatchLease? _newestUnseen;
    private int _unseen;
    private int _inFlight;

    public string Address { get; } = address;

    public int InFlight => Volatile.Read(ref _inFlight);

    public DispatchLease Dispatch(long nowTicks)
    {
        var lease = new DispatchLease(this, nowTicks);
        lock (_lock)
        {
            _inFlight++;
            lease.Unseen = true;
            lease.Previous = _newestUnseen;
            if (_newestUnseen is null)
            {
                _oldestUnseen = lease;
            }
            else
            {
                _newestUnseen.Next = lease;
            }

            _newestUnseen = lease;
            Volatile.Write(ref _unseen, _unseen + 1);
        }

        return lease;
    }

    /// <summary>
    /// In-flight requests dispatched after <paramref name="measuredAtTicks"/>; null means the figures are
    /// declared rather than measured, so nothing in flight is reflected in them.
    /// </summary>
    public int Unseen(long? measuredAtTicks)
    {
        // Most endpoints have nothing unseen; a racing dispatch is counted by the next decision.
        if (Volatile.Read(ref _unseen) == 0)
        {
            return 0;
        }

        lock (_lock)
        {
            if (measuredAtTicks is { } measuredAt)
            {
                while (_oldestUnseen is { } oldest && oldest.DispatchedAtTicks <= measuredAt)
                {
                    Unlink(oldest);
                }
            }

            return _unseen;
        }
    }

    internal void Release(DispatchLease lease)
    {
        lock (_lock)
        {
            if (lease.Released)
            {
                return;
            }

            lease.Released = true;
            _inFlight--;
            if (lease.Unseen)
            {
                Unlink(lease);
            }
        }
    }

    private void Unlink(DispatchLease lease)
    {
        if (lease.Previous is null)
        {
            _oldestUnseen = lease.Next;
        }
        else
        {
            lease.Previous.Next = lease.Next;
        }

        if (lease.Next is null)
        {
            _newestUnseen = lease.Previous;
        }
        else
        {
            lease.Next.Previous = lease.Previous;
        }

        lease.Previous = null;
        lease.Next = null;
        lease.Unseen = false;
        _unseen--;
    }
}
