using System.Collections.Immutable;
using System.Globalization;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.LocalGateway.Observation;

namespace Suite.Host.Tests.Dashboard;

/// <summary>
/// Keeps events and requests flowing into a <see cref="DashboardServer"/> as the suite would: a pod-state snapshot
/// of each pool every 100 ms, pool pressure every 500 ms, and a finished request about every 10 ms.
/// </summary>
internal sealed class SyntheticTraffic : IAsyncDisposable
{
    private static readonly (string Pool, string[] Pods)[] Pools =
    [
        ("llama-8b", ["10.0.1.11:8000", "10.0.1.12:8000", "10.0.1.13:8000", "10.0.1.14:8000"]),
        ("qwen-small", ["10.0.2.21:8000", "10.0.2.22:8000"]),
    ];

    private static readonly (string Model, string? Objective)[] Requests =
    [
        ("chat", "premium"), ("chat", null), ("sql-lora", null), ("meta-llama/Llama-3.1-8B-Instruct", null),
        ("batch-summarize", "best-effort"), ("batch-summarize", null),
    ];

    private readonly DashboardServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random = new(7);
    private readonly Task _running;
    private long _version;

    private SyntheticTraffic(DashboardServer server)
    {
        _server = server;
        _running = Task.Run(() => RunAsync(_stop.Token));
    }

    public static async Task<SyntheticTraffic> StartAsync(DashboardServer server)
    {
        foreach (var (pool, _) in Pools)
        {
            await server.Bus.PublishAsync(SuiteTopics.Catalog, Catalog(pool), CancellationToken.None);
        }

        return new SyntheticTraffic(server);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        for (var tick = 0L; !stop.IsCancellationRequested; tick++)
        {
            if (tick % 10 == 0)
            {
                await PublishPodStateAsync(stop);
            }

            if (tick % 50 == 0)
            {
                await PublishPressureAsync(stop);
            }

            Request();
            await Task.Delay(10, stop);
        }
    }

    private async Task PublishPodStateAsync(CancellationToken stop)
    {
        var now = DateTimeOffset.UtcNow;
        _version++;
        foreach (var (pool, pods) in Pools)
        {
            var endpoints = pods.Select((address, i) => new EndpointSnapshot(
                address,
                $"{pool}-{i}",
                pool == "llama-8b" ? "meta-llama/Llama-3.1-8B-Instruct" : "Qwen/Qwen2.5-0.5B-Instruct",
                new EndpointMetrics(
                    _random.Next(0, 6),
                    _random.Next(2, 24),
                    Math.Round(_random.NextDouble() * 0.9, 3),
                    i % 2 == 0 ? ["sql-lora"] : ["sql-lora", "code-lora"],
                    i == 1 && _version % 4 == 0 ? ["tweet-lora"] : [],
                    4,
                    i == pods.Length - 1 && pool == "qwen-small" ? now.AddSeconds(-5) : now)));
            await _server.Bus.PublishAsync(SuiteTopics.PodState, new PoolSnapshot(pool, _version, now, [.. endpoints]), stop);
        }
    }

    private async Task PublishPressureAsync(CancellationToken stop)
    {
        foreach (var (pool, _) in Pools)
        {
            var depth = _random.Next(0, 8);
            var byBand = depth == 0 ? ImmutableDictionary<int, int>.Empty : ImmutableDictionary<int, int>.Empty.Add(10, depth / 2).Add(0, depth - (depth / 2));
            await _server.Bus.PublishAsync(
                SuiteTopics.PoolPressure,
                new PoolPressureEvent(pool, 0.6 + _random.NextDouble() * 0.6, depth, ImmutableDictionary<string, int>.Empty, byBand, DateTimeOffset.UtcNow, _version),
                stop);
        }
    }

    private void Request()
    {
        var (pool, pods) = Pools[_random.Next(Pools.Length)];
        var (model, objective) = Requests[_random.Next(Requests.Length)];
        var roll = _random.Next(100);
        var (status, detail) = roll switch
        {
            < 8 when model == "batch-summarize" => (429, "picker_request_shed"),
            < 2 => (429, "picker_queue_full"),
            < 3 => (503, "picker_queue_expired"),
            _ => (200, (string?)null),
        };
        var picked = pods[_random.Next(pods.Length)];
        var decision = status == 200
            ? string.Create(CultureInfo.InvariantCulture,
                $"picked={picked} candidates={pods.Length}; {picked} total={4 + _random.NextDouble() * 2:F3} queue-depth={_random.NextDouble() * 2:F3} kv-cache={_random.NextDouble() * 2:F3} lora-affinity=1.000 in-flight={_random.NextDouble():F3}")
            : null;
        _server.Observer.Completed(new GatewayExchange(
            DateTimeOffset.UtcNow,
            pool,
            model,
            objective,
            status,
            status == 200 ? picked : null,
            decision,
            status == 200 ? ExchangeOutcomes.Proxied : ExchangeOutcomes.PickerAnswered,
            detail,
            TimeSpan.FromMilliseconds(status == 200 ? 40 + _random.Next(400) : 1 + _random.NextDouble())));
    }

    private static CatalogSnapshot Catalog(string pool) => new(
        pool,
        1,
        DateTimeOffset.UtcNow,
        [
            new CatalogModel("chat", Criticality.Critical, []),
            new CatalogModel("sql-lora", Criticality.Standard, []),
            new CatalogModel("batch-summarize", Criticality.Sheddable, []),
        ],
        [new CatalogObjective("premium", 10), new CatalogObjective("best-effort", -5)],
        []);
}
