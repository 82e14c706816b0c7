using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Suite.Catalog.Leadership;
using Suite.Catalog.Observability;
using Suite.Catalog.Publishing;
using Suite.Catalog.Resolution;
using Suite.Catalog.Sources;
using Suite.Catalog.Status;

namespace Suite.Catalog.Hosting;

/// <summary>
/// Resolves the resources whenever they or this replica's leadership change, and on a retry timer while a publish
/// or status write is failing. Every replica keeps the resolution for its HTTP API; the leader also publishes the
/// changed pools and writes status. Changes arriving during a pass are folded into one more pass.
/// </summary>
internal sealed partial class CatalogLoop(
    ICatalogSource source,
    ICatalogLeadership leadership,
    CatalogState state,
    CatalogPublisher publisher,
    CatalogMetrics metrics,
    IOptions<CatalogOptions> options,
    TimeProvider time,
    ILogger<CatalogLoop> logger,
    StatusWriter? statusWriter = null) : BackgroundService
{
    // One pending wake-up at most: a pass always reads the latest resources.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ImmutableDictionary<string, AcceptedCondition> _logged = ImmutableDictionary<string, AcceptedCondition>.Empty;
    private bool _wasLeader;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        source.Changed += Wake;
        leadership.LeadershipChanged += _ => Wake();
        try
        {
            await source.ReadyAsync(stoppingToken);
            while (true)
            {
                _wake.Reader.TryRead(out _);
                var failures = await PassAsync(stoppingToken);
                var woken = _wake.Reader.WaitToReadAsync(stoppingToken).AsTask();
                if (failures > 0)
                {
                    // Something must be tried again: wake on the next change or after the retry interval.
                    await Task.WhenAny(woken, Task.Delay(options.Value.RetryInterval, time, stoppingToken));
                    stoppingToken.ThrowIfCancellationRequested();
                }
                else
                {
                    await woken;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            source.Changed -= Wake;
        }
    }

    private async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var resources = source.Current;
        var resolution = resources.Resolve();
        state.Set(resources, resolution);
        LogConditionChanges(resolution.Conditions);

        var failures = 0;
        var leading = leadership.IsLeader;
        if (leading)
        {
            if (!_wasLeader)
            {
                publisher.Reset();
                statusWriter?.Reset();
            }

            var published = await publisher.PublishChangesAsync(resolution, cancellationToken);
            metrics.Published(published.Published);
            metrics.Failed("bus_or_store", published.Failed);
            failures += published.Failed;
            if (statusWriter is not null)
            {
                var statusFailures = await statusWriter.WriteAsync(resources, resolution, cancellationToken);
                metrics.Failed("status", statusFailures);
                failures += statusFailures;
            }
        }

        _wasLeader = leading;
        return failures;
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Each rejection is logged once, when it appears or its reason changes, so static mode shows them too.</summary>
    private void LogConditionChanges(ImmutableDictionary<string, AcceptedCondition> conditions)
    {
        foreach (var (key, condition) in conditions)
        {
            if (!condition.Accepted && (!_logged.TryGetValue(key, out var before) || before != condition))
            {
                LogRejected(key, condition.Reason, condition.Message);
            }
        }

        _logged = conditions;
    }

    [LoggerMessage(1, LogLevel.Warning, "{Resource} is not accepted ({Reason}): {Message}")]
    private partial void LogRejected(string resource, string reason, string message);
}
