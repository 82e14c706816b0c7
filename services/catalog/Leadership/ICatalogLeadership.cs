namespace Suite.Catalog.Leadership;

/// <summary>Whether this replica is the one that publishes snapshots and writes status.</summary>
internal interface ICatalogLeadership
{
    bool IsLeader { get; }

    /// <summary>Raised with the new value whenever <see cref="IsLeader"/> changes.</summary>
    event Action<bool>? LeadershipChanged;
}

/// <summary>The only replica: static mode, or leader election turned off.</summary>
internal sealed class SoleReplica : ICatalogLeadership
{
    public bool IsLeader => true;

    public event Action<bool>? LeadershipChanged
    {
        add { }
        remove { }
    }
}
