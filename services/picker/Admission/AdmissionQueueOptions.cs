namespace Suite.Picker.Admission;

/// <summary>Where the queue service is and how long a request may wait in it (configuration section <c>Picker:Queue</c>).</summary>
public sealed class AdmissionQueueOptions
{
    /// <summary>
    /// The queue's replicas, each <c>http://host:port</c> (h2c) or <c>https://host:port</c> (TLS, see <see cref="Tls"/>), in the same order every picker and the queue use:
    /// a pool's requests go to the replica that owns it. Empty: no queue, and a saturated pool is admitted locally.
    /// </summary>
    public string[] Addresses { get; set; } = [];

    /// <summary>The longest a request waits in the queue: its deadline is this long after it was asked about.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the queue has to say anything (queued or a final answer) before the picker decides locally.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whom to trust and what to present when the queue serves TLS (<c>Queue:Tls</c>).</summary>
    public QueueClientTlsOptions Tls { get; set; } = new();
}
