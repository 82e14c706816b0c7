using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Suite.Contracts.Pools;
using Suite.MetricsCollector.Discovery;
using Suite.MetricsCollector.Hosting;
using Suite.MetricsCollector.Observability;
using Suite.MetricsCollector.Publishing;

namespace Suite.MetricsCollector.Scraping;

/// <summary>
/// Every <see cref="CollectorOptions.ScrapeInterval"/>: scrape every discovered endpoint at once, wait for the
/// answers at most one interval, then publish one snapshot per pool built from each endpoint's latest sample.
/// An endpoint still busy with an earlier scrape is not asked again; one that fails keeps its last figures
/// marked stale.
/// </summary>
internal sealed partial class ScrapeLoop(
    IEndpointDiscovery discovery,
    MetricsPageFetcher fetcher,
    EngineMetricsCatalog engines,
    PodStatePublisher publisher,
    PoolVersions versions,
    IOptions<CollectorOptions> options,
    TimeProvider time,
    CollectorMetrics metrics,
    ILogger<ScrapeLoop> logger) : BackgroundService
{
    private readonly Dictionary<string, EndpointState> _endpoints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unknownEngineTypesLogged = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await discovery.ReadyAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ScrapeInterval, time);
        do
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A bug in one round must not end scraping for good.
                LogRoundFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: scrape, wait (bounded), publish. Public to tests, which drive rounds themselves.</summary>
    internal async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var pools = discovery.Pools;
        var scrapes = new List<Task>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            foreach (var endpoint in pool.Endpoints)
            {
                if (!seen.Add(endpoint.Address))
                {
                    continue; // in two pools: scraped once
                }

                if (!_endpoints.TryGetValue(endpoint.Address, out var state))
                {
                    _endpoints[endpoint.Address] = state = new EndpointState(endpoint.Address, MetricsUri(endpoint));
                }

                if (state.TryBeginScrape())
                {
                    scrapes.Add(ScrapeAsync(state, endpoint, cancellationToken));
                }
            }
        }

        foreach (var gone in _endpoints.Keys.Where(address => !seen.Contains(address)).ToArray())
        {
            _endpoints.Remove(gone);
        }

        try
        {
            await Task.WhenAll(scrapes).WaitAsync(options.Value.ScrapeInterval, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Slow endpoints keep their previous sample in this round's snapshot.
        }

        foreach (var pool in pools)
        {
            await publisher.PublishAsync(Snapshot(pool), cancellationToken);
        }

        metrics.RoundCompleted(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private PoolSnapshot Snapshot(PoolTopology pool)
    {
        var endpoints = new EndpointSnapshot[pool.Endpoints.Length];
        for (var i = 0; i < endpoints.Length; i++)
        {
            var endpoint = pool.Endpoints[i];
            var sample = _endpoints[endpoint.Address].Sample;
            endpoints[i] = new EndpointSnapshot(endpoint.Address, endpoint.PodName, sample.BaseModel, sample.Metrics);
        }

        var now = time.GetUtcNow();
        return new PoolSnapshot(pool.Name, versions.Next(pool.Name, now), now, [.. endpoints]);
    }

    private async Task ScrapeAsync(EndpointState state, DiscoveredEndpoint endpoint, CancellationToken cancellationToken)
    {
        await Task.Yield(); // let the round start every scrape before any of them runs
        var started = Stopwatch.GetTimestamp();
        ScrapeFailure? failure = null;
        try
        {
            var engine = engines.Resolve(endpoint.EngineType);
            if (engine.FallbackReason is { } reason)
            {
                LogUnknownEngineOnce(endpoint.EngineType, reason);
            }

            using var timeout = new CancellationTokenSource(options.Value.ScrapeTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            ScrapedMetrics scraped;
            try
            {
                using var page = await fetcher.FetchAsync(state.MetricsUri, linked.Token);
                scraped = engine.Scanner.Parse(page.Bytes);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ScrapeFailedException(ScrapeFailure.Timeout, $"no answer within {options.Value.ScrapeTimeout.TotalMilliseconds:0} ms");
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException or IOException || e.HttpRequestError != HttpRequestError.Unknown)
            {
                throw new ScrapeFailedException(ScrapeFailure.Connection, e.Message);
            }

            if (scraped.Error is { } error)
            {
                throw new ScrapeFailedException(ScrapeFailure.Malformed, error);
            }

            state.Succeeded(scraped, time.GetUtcNow());
        }
        catch (ScrapeFailedException e)
        {
            failure = e.Reason;
            state.Failed();
            if (!string.Equals(state.LastError, e.Message, StringComparison.Ordinal))
            {
                state.LastError = e.Message;
                LogScrapeFailed(endpoint.PodName, endpoint.Address, e.Reason, e.Message);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            failure = ScrapeFailure.Connection;
            state.Failed();
            if (!string.Equals(state.LastError, e.Message, StringComparison.Ordinal))
            {
                state.LastError = e.Message;
                LogScrapeFailed(endpoint.PodName, endpoint.Address, ScrapeFailure.Connection, e.Message);
            }
        }
        finally
        {
            state.EndScrape();
        }

        metrics.Scraped(failure, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static Uri MetricsUri(DiscoveredEndpoint endpoint)
    {
        var host = endpoint.Address[..endpoint.Address.LastIndexOf(':')];
        return new Uri($"http://{host}:{endpoint.MetricsPort}/metrics");
    }

    private void LogUnknownEngineOnce(string engineType, string reason)
    {
        lock (_unknownEngineTypesLogged)
        {
            if (!_unknownEngineTypesLogged.Add(engineType))
            {
                return;
            }
        }

        LogUnknownEngine(reason);
    }

    [LoggerMessage(1, LogLevel.Warning, "Scraping {Pod} ({Address}) failed ({Reason}): {Problem}; its figures are stale until a scrape succeeds")]
    private partial void LogScrapeFailed(string pod, string address, ScrapeFailure reason, string problem);

    [LoggerMessage(2, LogLevel.Warning, "{Reason}")]
    private partial void LogUnknownEngine(string reason);

    [LoggerMessage(3, LogLevel.Error, "A scrape round failed; the next round runs as usual")]
    private partial void LogRoundFailed(Exception exception);
}
