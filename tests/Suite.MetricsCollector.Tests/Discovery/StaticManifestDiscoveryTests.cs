using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.MetricsCollector.Discovery;

namespace Suite.MetricsCollector.Tests.Discovery;

public sealed class StaticManifestDiscoveryTests : IDisposable
{
    private const string ChatPool = """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: chat-pool}
        spec:
          selector: {matchLabels: {app: chat}}
          targetPorts: [{number: 8000}]
        """;

    private static readonly DateTime FirstWrite = new(2025, 5, 1, 10, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = Directory.CreateTempSubdirectory("static-discovery-").FullName;
    private readonly string _path;
    private readonly FakeTimeProvider _time = new();
    private readonly ListLogger<StaticManifestDiscovery> _logger = new();
    private int _writes;

    public StaticManifestDiscoveryTests() => _path = Path.Combine(_directory, "pools.yaml");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Constructor_SampleFile_TwoPoolsWithTheirReadyPods()
    {
        using var discovery = Start(SamplePath());

        Assert.Collection(
            discovery.Pools,
            chat =>
            {
                Assert.Equal(("default", "chat-pool", false), (chat.Namespace, chat.Name, chat.FailOpen));
                Assert.Equal(
                    [new DiscoveredEndpoint("chat-llama-0", "10.0.0.11:8000", "vllm", 8000), new DiscoveredEndpoint("chat-llama-1", "10.0.0.12:8000", "vllm", 8000)],
                    chat.Endpoints.AsEnumerable());
            },
            legacy =>
            {
                Assert.Equal(("default", "legacy-pool", true), (legacy.Namespace, legacy.Name, legacy.FailOpen));
                Assert.Equal([new DiscoveredEndpoint("sglang-qwen-0", "10.0.0.21:30000", "sglang", 30000)], legacy.Endpoints.AsEnumerable());
            });
    }

    [Fact]
    public async Task ReadyAsync_AfterConstruction_AlreadyComplete()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        using var discovery = Start();

        var ready = discovery.ReadyAsync(CancellationToken.None);

        Assert.True(ready.IsCompletedSuccessfully);
        await ready;
    }

    [Fact]
    public void Constructor_ListWithOtherKinds_OtherKindsLoggedAtDebugAndIgnored()
    {
        Write("""
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: Service
                metadata: {name: chat-epp}
              - apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata: {name: chat-pool}
                spec:
                  selector: {matchLabels: {app: chat}}
                  targetPorts: [{number: 8000}]
            """);

        using var discovery = Start();

        Assert.Equal(["chat-pool"], discovery.Pools.Select(pool => pool.Name));
        Assert.Contains((LogLevel.Debug, 1102, $"{_path} line 4: ignoring v1 Service chat-epp"), _logger.Entries);
    }

    [Fact]
    public void Constructor_InvalidPool_SkippedWithAWarning()
    {
        Write(ChatPool + """

            ---
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata: {name: no-ports}
            spec:
              selector: {matchLabels: {app: chat}}
            """);

        using var discovery = Start();

        Assert.Equal(["chat-pool"], discovery.Pools.Select(pool => pool.Name));
        Assert.Contains(
            (LogLevel.Warning, 1103, "Skipping an invalid pool: InferencePool default/no-ports (inference.networking.k8s.io/v1): spec.targetPorts is required"),
            _logger.Entries);
    }

    [Fact]
    public void Constructor_BrokenYaml_MessageNamesFileAndLine()
    {
        Write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [chat-0\n");

        var error = Assert.Throws<InvalidDataException>(() => Start());

        Assert.StartsWith($"{_path} line 5: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingFile_MessageNamesFile()
    {
        var error = Assert.Throws<IOException>(() => Start());

        Assert.StartsWith($"{_path} cannot be read: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoPath_NamesTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => Start(""));

        Assert.StartsWith("Discovery:Static:Path must name a manifests file.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ZeroPollInterval_NamesTheSetting()
    {
        Write(ChatPool);

        var error = Assert.Throws<ArgumentException>(() => Start(pollInterval: TimeSpan.Zero));

        Assert.StartsWith("Discovery:Static:PollInterval must be positive.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Poll_FileChanged_ReloadsAndRaisesChanged()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        using var discovery = Start();
        var changes = 0;
        discovery.Changed += () => changes++;

        Write(ChatPool + Pod("chat-0", "10.0.0.1") + Pod("chat-1", "10.0.0.2"));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, changes);
        Assert.Equal(["10.0.0.1:8000", "10.0.0.2:8000"], Assert.Single(discovery.Pools).Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Poll_BeforeTheInterval_DoesNotReload()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        using var discovery = Start(pollInterval: TimeSpan.FromSeconds(5));
        var changes = 0;
        discovery.Changed += () => changes++;

        Write(ChatPool + Pod("chat-1", "10.0.0.2"));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, changes);
        Assert.Equal(["chat-0"], Assert.Single(discovery.Pools).Endpoints.Select(endpoint => endpoint.PodName));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, changes);
        Assert.Equal(["chat-1"], Assert.Single(discovery.Pools).Endpoints.Select(endpoint => endpoint.PodName));
    }

    [Fact]
    public void Poll_FileUntouched_NoChange()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        using var discovery = Start();
        var before = discovery.Pools;
        var changes = 0;
        discovery.Changed += () => changes++;

        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(0, changes);
        Assert.Equal(before, discovery.Pools);
    }

    [Fact]
    public void Poll_EditThatLeavesTheEndpointsAlone_NoChangedEvent()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        using var discovery = Start();
        var changes = 0;
        discovery.Changed += () => changes++;

        Write(ChatPool + Pod("chat-0", "10.0.0.1") + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: chat-epp}\n");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, changes);
        Assert.Equal(["10.0.0.1:8000"], Assert.Single(discovery.Pools).Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Poll_BadEdit_KeepsThePreviousViewAndLogsAnError()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        using var discovery = Start();
        var before = discovery.Pools;
        var changes = 0;
        discovery.Changed += () => changes++;

        Write(ChatPool + "\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [chat-0}\n");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, changes);
        Assert.Equal(before, discovery.Pools);
        var error = Assert.Single(_logger.Entries, entry => entry.Level == LogLevel.Error);
        Assert.StartsWith($"Could not reload {_path}; keeping the previous pools: {_path} line 10: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Poll_BadEditSeenOnce_LoggedOnceUntilTheNextChange()
    {
        Write(ChatPool);
        using var discovery = Start();

        Write("kind: [");
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Single(_logger.Entries, entry => entry.Level == LogLevel.Error);
    }

    [Fact]
    public void Poll_BadEditThenFixed_LoadsTheFix()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        using var discovery = Start();
        var changes = 0;
        discovery.Changed += () => changes++;

        Write("kind: [");
        _time.Advance(TimeSpan.FromSeconds(1));
        Write(ChatPool + Pod("chat-1", "10.0.0.2"));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, changes);
        Assert.Equal(["10.0.0.2:8000"], Assert.Single(discovery.Pools).Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Poll_FileDeleted_KeepsThePreviousViewAndLogsAnError()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        using var discovery = Start();
        var before = discovery.Pools;

        File.Delete(_path);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(before, discovery.Pools);
        var error = Assert.Single(_logger.Entries, entry => entry.Level == LogLevel.Error);
        Assert.StartsWith($"Could not reload {_path}; keeping the previous pools: {_path} cannot be read: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_StopsPolling()
    {
        Write(ChatPool + Pod("chat-0", "10.0.0.1"));
        var discovery = Start();
        var changes = 0;
        discovery.Changed += () => changes++;

        discovery.Dispose();
        Write(ChatPool + Pod("chat-1", "10.0.0.2"));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, changes);
        Assert.Equal(["chat-0"], Assert.Single(discovery.Pools).Endpoints.Select(endpoint => endpoint.PodName));
    }

    private StaticManifestDiscovery Start(string? path = null, TimeSpan? pollInterval = null)
    {
        var options = new StaticDiscoveryOptions { Path = path ?? _path };
        if (pollInterval is { } interval)
        {
            options.PollInterval = interval;
        }

        return new StaticManifestDiscovery(Options.Create(options), _time, _logger);
    }

    // Each write gets its own last-write time, so a change is seen even when the length and the clock's resolution would hide it.
    private void Write(string yaml)
    {
        File.WriteAllText(_path, yaml);
        File.SetLastWriteTimeUtc(_path, FirstWrite.AddMinutes(_writes++));
    }

    private static string Pod(string name, string ip) => $$"""

        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
          labels: {app: chat}
        status:
          phase: Running
          podIP: {{ip}}
          conditions: [{type: Ready, status: "True"}]
        """;

    private static string SamplePath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "deploy", "examples", "static-pools.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("deploy/examples/static-pools.yaml not found above the test directory");
    }
}
