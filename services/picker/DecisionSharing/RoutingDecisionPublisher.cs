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

    // The wait for a full batch outlives the rounds it loses: cancelling it every round cost an exception each time.
    private Task? _fullBatch;
    private bool _failing;

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
                if (_failing)
                {
                    _failing = false;
                    LogPublishingAgain();
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.DecisionsDropped(decisions.Length);
                if (!_failing)
                {
                    // Once per failing streak: without a sidecar this fails every round, and the counter tells the rest.
                    _failing = true;
                    LogPublishFailing(decisions.Length, e.Message);
                }

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
        _fullBatch ??= outbox.WaitForFullBatchAsync(stoppingToken);
        using (var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            if (await Task.WhenAny(Task.Delay(_interval, time, delay.Token), _fullBatch) == _fullBatch)
            {
                _fullBatch = null;
                await delay.CancelAsync(); // a cancelled delay ends without throwing
            }
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            await PublishPendingAsync(stoppingToken);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Publishing routing decisions failed ({Count} dropped): {Problem}; until it works again, dropped decisions are only counted (picker_prefix_shared_decisions_total{{outcome=\"dropped\"}})")]
    private partial void LogPublishFailing(int count, string problem);

    [LoggerMessage(2, LogLevel.Information, "Publishing routing decisions works again")]
    private partial void LogPublishingAgain();
}
