using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Catalog;
using Suite.Picker.Admission;
using Suite.Picker.Catalog;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;
using Suite.Picker.Pools;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Admission;

/// <summary>
/// An admission gate over a pool a test publishes, a scripted queue, a fake clock, a fake logger and collected
/// metrics. The queue has one replica unless the fixture is built without one.
/// </summary>
internal sealed class AdmissionFixture : IDisposable
{
    public const string QueueAddress = "http://queue-0.queue:9100";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public AdmissionFixture(bool queueConfigured = true)
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        Decisions = new MetricCollector<long>(meters, PickerMetrics.MeterName, "picker.admission.decisions");
        Fallbacks = new MetricCollector<long>(meters, PickerMetrics.MeterName, "picker.admission.fallbacks");
        var options = Options.Create(new PickerOptions { PoolName = "chat-pool", Queue = { Addresses = queueConfigured ? [QueueAddress] : [] } });
        Backlog = new QueueBacklog(options, Time);
        Gate = new AdmissionGate(Pool, Backlog, Queue, options, new PickerMetrics(meters), Time, Logger);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public PoolStateStore Pool { get; } = new();

    public FakeAdmissionQueueClient Queue { get; } = new();

    /// <summary>What the queue's pool-pressure events said; tests deliver events to it.</summary>
    public QueueBacklog Backlog { get; }

    public FakeLogger<AdmissionGate> Logger { get; } = new();

    public MetricCollector<long> Decisions { get; }

    public MetricCollector<long> Fallbacks { get; }

    public AdmissionGate Gate { get; }

    /// <summary>Pool saturation (2 + 1.125) / 2 = 1.5625.</summary>
    public void PublishSaturatedPool() =>
        Pool.Publish(new("chat-pool", 1, Start, [Endpoint(A, waiting: 10), Endpoint(B, kv: 0.9)]));

    /// <summary>Pool saturation (0.2 + 0.5) / 2 = 0.35.</summary>
    public void PublishUnsaturatedPool() =>
        Pool.Publish(new("chat-pool", 1, Start, [Endpoint(A, waiting: 1), Endpoint(B, kv: 0.4)]));

    public Task<AdmissionOutcome> AdmitAsync(
        Criticality criticality = Criticality.Standard, int? objectivePriority = null, CancellationToken cancellationToken = default) =>
        Gate.AdmitAsync(Request(criticality, objectivePriority), cancellationToken).AsTask();

    /// <summary>A request for <c>llama</c> in flow <c>tenant-a</c>, 1234 bytes; with a priority, it named a known objective.</summary>
    public static AdmissionRequest Request(Criticality criticality = Criticality.Standard, int? objectivePriority = null) =>
        new("req-1", new RequestClassification(
            "llama",
            criticality,
            Known: true,
            objectivePriority ?? RequestClassification.DefaultPriority,
            objectivePriority is null ? null : "objective",
            ObjectiveKnown: objectivePriority is not null,
            "tenant-a"), 1234);

    public static (string Label, long Count)[] Counts(MetricCollector<long> collector, string tag) =>
        [.. collector.GetMeasurementSnapshot()
            .GroupBy(measurement => (string)measurement.Tags[tag]!)
            .Select(group => (group.Key, group.Sum(measurement => measurement.Value)))
            .OrderBy(count => count.Key, StringComparer.Ordinal)];

    public int LoggedAt(Microsoft.Extensions.Logging.LogLevel level) =>
        Logger.Collector.GetSnapshot().Count(record => record.Level == level);

    public void Dispose()
    {
        Decisions.Dispose();
        Fallbacks.Dispose();
        _services.Dispose();
    }
}
