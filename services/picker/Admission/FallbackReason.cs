namespace Suite.Picker.Admission;

/// <summary>Why the picker decided a saturated pool's request itself instead of the queue.</summary>
public enum FallbackReason
{
    /// <summary><c>Picker:Queue:Addresses</c> is empty.</summary>
    NoQueue,

    /// <summary>The call failed: connection refused, reset, or an RPC error.</summary>
    Unavailable,

    /// <summary>No first answer within <c>Picker:Queue:ConnectTimeout</c>, or no final one by the deadline and a grace.</summary>
    Timeout,

    /// <summary>The replica asked does not own the pool: the shard lists of picker and queue disagree.</summary>
    WrongShard,

    /// <summary>The queue ended the call without a final answer, or gave one this picker does not understand.</summary>
    BadAnswer,
}
