using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Routing;
using Suite.Messaging;
using Suite.Picker.DecisionSharing;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;
using Suite.Picker.Pools;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.DecisionSharing;

/// <summary>An outbox and its publisher on a fake clock, publishing into a recording bus; shared-decision metrics collected.</summary>
internal sealed class DecisionSharingFixture : IDisposable
{
    public const string ReplicaId = "picker-a";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public DecisionSharingFixture(int batchSize = 256, int maxPending = 8192)
    {
        var options = Options.Create(new PickerOptions
        {
            PoolName = "chat-pool",
            ReplicaId = ReplicaId,
            Prefix = new PrefixSharingOptions { BatchSize = batchSize, MaxPending = maxPending },
        });
        var meters = _services.GetRequiredService<IMeterFactory>();
        Shared = new MetricCollector<long>(meters, PickerMetrics.MeterName, "picker.prefix.shared_decisions");
        var metrics = new PickerMetrics(meters);
        Pool = new PoolStateStore();
        Identity = new ReplicaIdentity(options, Pool);
        Outbox = new RoutingDecisionOutbox(options, metrics);
        Publisher = new RoutingDecisionPublisher(
            Outbox, Bus, Identity, options, metrics, Time, Log);
        Metrics = metrics;
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeLogger<RoutingDecisionPublisher> Log { get; } = new();

    public RecordingBus Bus { get; } = new();

    public PoolStateStore Pool { get; }

    public ReplicaIdentity Identity { get; }

    public PickerMetrics Metrics { get; }

    public RoutingDecisionOutbox Outbox { get; }

    public RoutingDecisionPublisher Publisher { get; }

    public MetricCollector<long> Shared { get; }

    public long SharedCount(string outcome) =>
        Shared.GetMeasurementSnapshot().Where(m => Equals(m.Tags["outcome"], outcome)).Sum(m => m.Value);

    public void Dispose()
    {
        Publisher.Dispose();
        Outbox.Dispose();
        Shared.Dispose();
        _services.Dispose();
    }
}

/// <summary>Records what is published; can be told to fail.</summary>
internal sealed class RecordingBus : IEventPublisher
{
    public ConcurrentQueue<RoutingDecisionBatch> Batches { get; } = new();

    public bool Fail { get; set; }

    public Task PublishAsync<T>(string topic, T payload, CancellationToken cancellationToken)
        where T : class
    {
        if (Fail)
        {
            throw new HttpRequestException("the sidecar is not answering");
        }

        Assert.Equal("routing-decisions", topic);
        Batches.Enqueue(Assert.IsType<RoutingDecisionBatch>(payload));
        return Task.CompletedTask;
    }
}
