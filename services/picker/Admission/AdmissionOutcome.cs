namespace Suite.Picker.Admission;

/// <summary>What admission decided for one request; only the admitted ones go on to scheduling.</summary>
public enum AdmissionOutcome
{
    /// <summary>The pool is not saturated: the queue was not involved.</summary>
    AdmittedUnsaturated,

    /// <summary>The queue let the request go, at once or after it waited its turn.</summary>
    AdmittedByQueue,

    /// <summary>
    /// The picker admitted the request itself: the pool is saturated and there is no queue to ask or the queue is
    /// failing, or the request is Critical and the queue turned it away.
    /// </summary>
    AdmittedLocally,

    /// <summary>Sheddable while the pool is saturated, said by the queue or, when it cannot be asked, by the picker (429).</summary>
    Shed,

    /// <summary>The queue holds as many requests of this one's band as it may (429).</summary>
    QueueFull,

    /// <summary>The request's deadline passed while it waited in the queue (503).</summary>
    Expired,
}
