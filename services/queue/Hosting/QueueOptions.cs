using Suite.Contracts.Flow;
using Suite.Queue.Waiting;
using Suite.Security;

namespace Suite.Queue.Hosting;

/// <summary>The queue's settings (configuration section <c>Queue</c>).</summary>
public sealed class QueueOptions
{
    public const string Section = "Queue";

    public const string TlsSection = $"{Section}:{nameof(Tls)}";

    /// <summary>Port of the admission API and the KEDA external scaler: h2c, or TLS with <see cref="Tls"/>. Flag <c>--grpc-port</c>.</summary>
    public int GrpcPort { get; set; } = 9004;

    /// <summary>HTTP/1.1 port: Dapr app channel (pod-state deliveries), health, Prometheus. Flag <c>--http-port</c>.</summary>
    public int HttpPort { get; set; } = 9090;

    /// <summary>Queue replicas pools are sharded over (<see cref="QueueShards"/>); every picker must be given the same count.</summary>
    public int ShardCount { get; set; } = 1;

    /// <summary>This replica's shard, 0-based; unset: the ordinal at the end of the pod name (StatefulSet <c>queue-2</c> → 2), else 0.</summary>
    public int? ShardIndex { get; set; }

    /// <summary>
    /// TLS, and optionally client certificates, on the gRPC port (<c>Queue:Tls</c>). The HTTP port stays plaintext:
    /// the Dapr sidecar and Prometheus call it inside the pod network.
    /// </summary>
    public ServerTlsOptions Tls { get; set; } = new();

    public SaturationThresholds Saturation { get; set; } = new();

    /// <summary>How long a request may wait when the picker gives no deadline.</summary>
    public TimeSpan DefaultTimeToLive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait accepted whatever deadline the picker asks for.</summary>
    public TimeSpan MaxTimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    public FlowOrdering WithinFlow { get; set; } = FlowOrdering.Fcfs;

    /// <summary>Limits of every band not listed in <see cref="Bands"/>.</summary>
    public BandLimits DefaultBandLimits { get; set; } = new();

    /// <summary>Per-band limits by band number (e.g. <c>Queue:Bands:-1:MaxRequests</c> for Sheddable).</summary>
    public Dictionary<int, BandLimits> Bands { get; set; } = [];

    public BandLimits LimitsFor(int band) => Bands.TryGetValue(band, out var limits) ? limits : DefaultBandLimits;

    /// <summary>The configured shard index, or the ordinal of a StatefulSet pod name, or 0.</summary>
    public int ResolveShardIndex(string? hostName)
    {
        if (ShardIndex is { } index)
        {
            return index;
        }

        var dash = hostName?.LastIndexOf('-') ?? -1;
        return dash >= 0 && int.TryParse(hostName.AsSpan(dash + 1), out var ordinal) ? ordinal : 0;
    }

    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--grpc-port"] = $"{Section}:{nameof(GrpcPort)}",
        ["--http-port"] = $"{Section}:{nameof(HttpPort)}",
        ["--shard-count"] = $"{Section}:{nameof(ShardCount)}",
        ["--shard-index"] = $"{Section}:{nameof(ShardIndex)}",
    };
}
