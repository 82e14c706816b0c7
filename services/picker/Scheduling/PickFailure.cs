namespace Suite.Picker.Scheduling;

/// <summary>Why no endpoint was picked. The ext_proc layer maps each to one status code.</summary>
public enum PickFailure
{
    None = 0,

    /// <summary>The picker has no pool snapshot, or the pool has no ready endpoint.</summary>
    NoEndpoints,

    /// <summary>The gateway's subset hint named no endpoint of the pool (or was empty).</summary>
    SubsetMatchesNone,

    /// <summary>Filters removed every endpoint.</summary>
    NothingSchedulable,
}
