using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Pools;
using Suite.Host.CommandLine;
using Suite.Host.Hosting;
using Suite.Host.Tests.Hosting;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling.InFlight;

namespace Suite.Host.Tests.Faults;

/// <summary>
/// The embedded suite for fault injection: pool <c>chat</c> (FailClose) of three tiny simulated pods and pool
/// <c>open</c> (FailOpen) of two, models <c>chat-model</c> and <c>sim/tiny</c>, every port free, and timings
/// short enough to see a fault's whole course in seconds: scrapes time out after 200 ms and a picker declines once
/// its pool data is <see cref="PoolDataExpiry"/> old.
/// </summary>
internal sealed class FaultSuite : IAsyncDisposable
{
    public const string Chat = "chat";
    public const string Open = "open";
    public const string ChatModel = "chat-model";
    /// <summary>The open pool's model is named as its servers name it, so a request the gateway routes without the picker (FailOpen) is served as sent.</summary>
    public const string OpenModel = "sim/tiny";
    public const int ChatPods = 3;

    public static readonly TimeSpan ScrapeTimeout = TimeSpan.FromMilliseconds(200);

    private readonly string _cluster;

    private FaultSuite(string cluster, EmbeddedSuite suite, ExchangeLog exchanges, int chatPort)
    {
        _cluster = cluster;
        Suite = suite;
        Exchanges = exchanges;
        ChatPort = chatPort;
    }

    public EmbeddedSuite Suite { get; }

    /// <summary>What the gateway reports of each request.</summary>
    public ExchangeLog Exchanges { get; }

    public int ChatPort { get; }

    public TimeSpan PoolDataExpiry { get; private init; }

    public static async Task<FaultSuite> StartAsync(TimeSpan poolDataExpiry, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var ports = TestClusters.FreeSimulatorPorts(2);
        var cluster = TestClusters.Write(
            Pool(Chat, ports[0], ChatPods, failOpen: false),
            TestClusters.Model(ChatModel, Chat, "sim/tiny"),
            Pool(Open, ports[1], 2, failOpen: true),
            TestClusters.Model(OpenModel, Open, "sim/tiny"));
        var serviceSettings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Collector:ScrapeTimeout"] = ScrapeTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Picker:PoolDataExpiry"] = poolDataExpiry.ToString("c", CultureInfo.InvariantCulture),
        };
        var exchanges = new ExchangeLog();
        var options = SuiteHostOptions.WithFreePorts(cluster) with { ServiceSettings = serviceSettings, GatewayObserver = exchanges };
        var suite = await EmbeddedSuite.StartAsync(options, CancellationToken.None);
        try
        {
            await suite.WaitUntilReadyAsync(RunningSuite.ReadyTimeout, CancellationToken.None);
        }
        catch
        {
            await suite.DisposeAsync();
            TestClusters.Delete(cluster);
            throw;
        }

        return new FaultSuite(cluster, suite, exchanges, ports[0]) { PoolDataExpiry = poolDataExpiry };
    }

    /// <summary><c>ip:port</c> of chat pod <paramref name="index"/>, as the picker and the gateway name it.</summary>
    public string ChatPod(int index) => $"127.0.1.{index + 1}:{ChatPort}";

    public SuitePool PoolNamed(string pool) => Suite.Pools.Single(candidate => candidate.Name == pool);

    /// <summary>The running picker of <paramref name="pool"/>'s service of type <typeparamref name="T"/>.</summary>
    public T PickerService<T>(string pool)
        where T : notnull =>
        (PoolNamed(pool).PickerApp ?? throw new InvalidOperationException($"the picker of {pool} is stopped")).Services.GetRequiredService<T>();

    /// <summary>The chat picker's view of one pod; null when its snapshot does not list it.</summary>
    public EndpointSnapshot? ChatEndpoint(int index) =>
        PickerService<PoolStateStore>(Chat).Current?.Endpoints.FirstOrDefault(endpoint => endpoint.Address == ChatPod(index));

    /// <summary>Requests the chat picker holds in flight, per pod.</summary>
    public int[] ChatInFlight()
    {
        var load = PickerService<InFlightLoad>(Chat);
        return [.. Enumerable.Range(0, ChatPods).Select(i => load.ForAddress(ChatPod(i)).InFlight)];
    }

    /// <summary>Waits until the gateway has reported <paramref name="total"/> exchanges: it reports just after the client's end.</summary>
    public async Task GatewayReportedAsync(int total)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (Exchanges.Count < total)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the gateway reported {Exchanges.Count} of {total} exchanges");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Suite.DisposeAsync();
        TestClusters.Delete(_cluster);
    }

    private static string Pool(string name, int port, int pods, bool failOpen) =>
        TestClusters.Pool(name, port, failOpen, $"model-sim.suite/instances: \"{pods.ToString(CultureInfo.InvariantCulture)}\"");
}
