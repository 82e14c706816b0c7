using Microsoft.Extensions.Options;
using Suite.Contracts.Messaging;
using Suite.Contracts.Routing;
using Suite.Messaging;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;

namespace Suite.Picker.DecisionSharing;

/// <summary>
/// Publishes the outbox on <c>routing-decisions</c>: every <see cref="PrefixSharingOptions.PublishInterval"/>, or at
/// once when a full batch is waiting. A failed publish drops its batch (counted): placements are hints, and an old
/// one is worth less than the bus's time.
/// </summary>
public sealed partial class RoutingDecisionPublisher(
    RoutingDecisionOutbox outbox,
    IEventPublisher publisher,
    ReplicaIdentity replica,
    IOptions<PickerOptions> options,
    PickerMetrics metrics,
    TimeProvider time,
    ILogger<RoutingDecisionPublisher> logger) : BackgroundService
{
    private readonly TimeSpan _interval = options.Value.Prefix.PublishInterval;

    /// <summary>Publishes everything waiting, a batch at a time.</summary>
    public async Task PublishPendingAsync(CancellationToken cancellationToken)
    {
        while (outbox.TakeBatch() is { IsEmpty: false } decisions)
        {
            try
            {
                await publisher.PublishAsync(
                    SuiteTopics.RoutingDecisions,
                    new RoutingDecisionBatch(replica.Pool, replica.Id, time.GetUtcNow(), decisions),
                    cancellationToken);
                metrics.DecisionsPublished(decisions.Length);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.DecisionsDropped(decisions.Length);
                LogPublishFailed(decisions.Length, e);
                return;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RoundAsync(stoppingToken);
        }
    }

    /// <summary>One round: wait for the interval or a full batch, whichever comes first, then publish what is pending.</summary>
    internal async Task RoundAsync(CancellationToken stoppingToken)
    {
        using (var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            await Task.WhenAny(Task.Delay(_interval, time, round.Token), outbox.WaitForFullBatchAsync(round.Token));
            await round.CancelAsync();
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            await PublishPendingAsync(stoppingToken);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Publishing {Count} routing decisions failed; dropped")]
    private partial void LogPublishFailed(int count, Exception exception);
}
