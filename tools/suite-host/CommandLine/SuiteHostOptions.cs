using Suite.LocalGateway.Observation;

namespace Suite.Host.CommandLine;

/// <summary>
/// What the embedded suite is started with: the command line's flags, already checked. A port of 0 lets the
/// system choose a free one (tests); the command line only allows real ports.
/// </summary>
internal sealed record SuiteHostOptions
{
    public const int DefaultGatewayPort = 8080;
    public const int DefaultExtProcPort = 9002;
    public const int DefaultHealthPort = 9003;
    public const int DefaultQueuePort = 9004;
    public const int DefaultMetricsPort = 9090;

    /// <summary>The ext_proc port of pool <c>i</c> (file order) is <see cref="ExtProcPort"/> + this × <c>i</c>.</summary>
    public const int ExtProcPortStride = 10;

    /// <summary>InferencePools, models and (with <see cref="Simulators"/> 0) the pods to scrape.</summary>
    public string ClusterFile { get; init; } = DefaultFile("demo-cluster.yaml");

    /// <summary>Simulated pods per pool, overriding each pool's annotation; 0 starts none; null keeps the annotations.</summary>
    public int? Simulators { get; init; }

    /// <summary>The pickers' scheduling profile (<c>Picker:ConfigFile</c>).</summary>
    public string ConfigFile { get; init; } = DefaultFile("picker-profile.yaml");

    /// <summary>Where the local gateway listens for clients.</summary>
    public string Address { get; init; } = "127.0.0.1";

    public int GatewayPort { get; init; } = DefaultGatewayPort;

    public int ExtProcPort { get; init; } = DefaultExtProcPort;

    public int HealthPort { get; init; } = DefaultHealthPort;

    public int QueuePort { get; init; } = DefaultQueuePort;

    public int MetricsPort { get; init; } = DefaultMetricsPort;

    /// <summary>
    /// Extra configuration keys given to every service, e.g. <c>Picker:PoolDataExpiry</c> or
    /// <c>Collector:ScrapeTimeout</c>; each service reads its own section. Fault-injection tests shorten timings with it.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ServiceSettings { get; init; } = NoSettings;

    /// <summary>Also told of every exchange through the local gateway, beside the dashboard: tests account for each request.</summary>
    public IGatewayObserver? GatewayObserver { get; init; }

    // One shared instance, so options that set no extra keys are equal (records compare members by reference).
    private static readonly IReadOnlyDictionary<string, string?> NoSettings = new Dictionary<string, string?>();

    /// <summary>How long start-up waits for every pool's picker to hold a pool snapshot.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every fixed port chosen by the system: for tests, which run side by side.</summary>
    public static SuiteHostOptions WithFreePorts(string clusterFile) => new()
    {
        ClusterFile = clusterFile,
        GatewayPort = 0,
        ExtProcPort = 0,
        HealthPort = 0,
        QueuePort = 0,
        MetricsPort = 0,
    };

    private static string DefaultFile(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);
}
