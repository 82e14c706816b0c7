namespace Suite.Picker.Scheduling.InFlight;

/// <summary>
/// One request this picker sent to one endpoint, held until the response ends. While the endpoint's latest
/// measurement predates the dispatch, the lease sits in that endpoint's unseen list.
/// </summary>
public sealed class DispatchLease
{
    internal DispatchLease(EndpointLoad load, long dispatchedAtTicks)
    {
        Load = load;
        DispatchedAtTicks = dispatchedAtTicks;
    }

    internal EndpointLoad Load { get; }

    internal long DispatchedAtTicks { get; }

    // Links in the endpoint's unseen list; guarded by the endpoint's lock.
    internal DispatchLease? Previous { get; set; }

    internal DispatchLease? Next { get; set; }

    internal bool Unseen { get; set; }

    internal bool Released { get; set; }

    public string Address => Load.Address;

    /// <summary>Ends the request's accounting. Safe to call more than once.</summary>
    public void Release() => Load.Release(this);
}
