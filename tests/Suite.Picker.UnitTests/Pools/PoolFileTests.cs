using Suite.Contracts.Pools;
using Suite.Picker.Configuration;
using Suite.Picker.Pools;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Pools;

public sealed class PoolFileTests
{
    private const string File = "pool.yaml";

    private static PoolSnapshot Parse(string yaml) => PoolFile.Parse(File, yaml, version: 7, Start);

    private static string ParseError(string yaml) => Assert.Throws<ConfigurationFileException>(() => Parse(yaml)).Message;

    [Fact]
    public void Parse_PoolHeader_TakesNameFromFileAndVersionAndTimeFromCaller()
    {
        var snapshot = Parse("pool: llama-pool\nendpoints: []\n");

        Assert.Equal(("llama-pool", 7L, Start), (snapshot.PoolName, snapshot.Version, snapshot.TakenAt));
        Assert.Empty(snapshot.Endpoints);
    }

    [Fact]
    public void Parse_EndpointWithEveryField_ReadsThemAll()
    {
        var snapshot = Parse("""
            pool: llama-pool
            endpoints:
              - address: 10.0.0.1:8000
                pod: vllm-0
                model: meta-llama/Llama-3.1-8B
                waiting: 3
                running: 12
                kvCacheUsage: 0.25
                maxLora: 4
                activeAdapters: [sql-lora, chat-lora]
                waitingAdapters:
                  - code-lora
                measuredAt: 2025-06-01T11:59:58Z
            """);

        var endpoint = Assert.Single(snapshot.Endpoints);
        var metrics = endpoint.Metrics;
        Assert.Equal((A, "vllm-0", "meta-llama/Llama-3.1-8B"), (endpoint.Address, endpoint.PodName, endpoint.BaseModel));
        Assert.Equal((3, 12, 0.25, 4), (metrics.WaitingRequests, metrics.RunningRequests, metrics.KvCacheUsage, metrics.MaxLora));
        Assert.Equal<string>(["sql-lora", "chat-lora"], metrics.ActiveAdapters);
        Assert.Equal<string>(["code-lora"], metrics.WaitingAdapters);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 11, 59, 58, TimeSpan.Zero), metrics.MeasuredAt);
    }

    [Fact]
    public void Parse_EndpointWithAddressOnly_TakesDefaults()
    {
        var snapshot = Parse("pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n");

        var endpoint = Assert.Single(snapshot.Endpoints);
        var metrics = endpoint.Metrics;
        Assert.Equal((A, A, (string?)null), (endpoint.Address, endpoint.PodName, endpoint.BaseModel));
        Assert.Equal((0, 0, 0.0, 0, (DateTimeOffset?)null), (metrics.WaitingRequests, metrics.RunningRequests, metrics.KvCacheUsage, metrics.MaxLora, metrics.MeasuredAt));
        Assert.Empty(metrics.ActiveAdapters);
        Assert.Empty(metrics.WaitingAdapters);
    }

    [Fact]
    public void Parse_MeasuredAtWithoutOffset_IsTakenAsUtc()
    {
        var snapshot = Parse("pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n    measuredAt: 2025-06-01T11:59:58\n");

        Assert.Equal(new DateTimeOffset(2025, 6, 1, 11, 59, 58, TimeSpan.Zero), snapshot.Endpoints[0].Metrics.MeasuredAt);
    }

    [Fact]
    public void Parse_SeveralEndpoints_KeepsFileOrder()
    {
        var snapshot = Parse("""
            pool: p
            endpoints:
              - address: 10.0.0.3:8000
              - address: 10.0.0.1:8000
              - address: "[fd00::2]:8000"
            """);

        Assert.Equal([C, A, "[fd00::2]:8000"], snapshot.Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Parse_PoolMissing_FailsNamingPool()
    {
        var error = ParseError("endpoints:\n  - address: 10.0.0.1:8000\n");

        Assert.Equal("pool.yaml (line 1): pool is required.", error);
    }

    [Fact]
    public void Parse_EmptyFile_FailsNamingPool()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Parse(""));

        Assert.EndsWith("pool is required.", error.Message);
    }

    [Fact]
    public void Parse_AddressWithoutPort_FailsNamingTheEndpoint()
    {
        var error = ParseError("pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n  - address: 10.0.0.2\n");

        Assert.Equal("pool.yaml (line 4): endpoints[1].address must be ip:port, not '10.0.0.2'.", error);
    }

    [Fact]
    public void Parse_AddressIsAHostName_FailsNamingTheEndpoint()
    {
        var error = ParseError("pool: p\nendpoints:\n  - address: vllm-0:8000\n");

        Assert.Equal("pool.yaml (line 3): endpoints[0].address must be ip:port, not 'vllm-0:8000'.", error);
    }

    [Fact]
    public void Parse_AddressWithPortZero_FailsNamingTheEndpoint()
    {
        var error = ParseError("pool: p\nendpoints:\n  - address: 10.0.0.1:0\n");

        Assert.Equal("pool.yaml (line 3): endpoints[0].address must be ip:port, not '10.0.0.1:0'.", error);
    }

    [Fact]
    public void Parse_AddressMissing_FailsNamingTheEndpoint()
    {
        var error = ParseError("pool: p\nendpoints:\n  - pod: vllm-0\n");

        Assert.Equal("pool.yaml (line 3): endpoints[0].address is required.", error);
    }

    [Fact]
    public void Parse_DuplicateAddress_FailsNamingTheSecondEntry()
    {
        var error = ParseError("""
            pool: p
            endpoints:
              - address: 10.0.0.1:8000
              - address: 10.0.0.2:8000
              - address: 10.0.0.1:8000
            """);

        Assert.Equal("pool.yaml (line 5): endpoints[2].address '10.0.0.1:8000' is listed twice.", error);
    }

    [Fact]
    public void Parse_UnknownEndpointKey_FailsNamingItsPath()
    {
        var error = ParseError("pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n    queue: 3\n");

        Assert.Equal("pool.yaml (line 4): endpoints[0].queue is not a known key.", error);
    }

    [Fact]
    public void Parse_UnknownRootKey_FailsNamingIt()
    {
        var error = ParseError("pool: p\nnamespace: default\nendpoints: []\n");

        Assert.Equal("pool.yaml (line 2): namespace is not a known key.", error);
    }

    [Fact]
    public void Parse_KvCacheUsageAboveOne_FailsWithTheAllowedRange()
    {
        var error = ParseError("pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n    kvCacheUsage: 80\n");

        Assert.Equal("pool.yaml (line 4): endpoints[0].kvCacheUsage must be a number from 0 to 1, not '80'.", error);
    }

    [Fact]
    public void Parse_BadTimestamp_FailsNamingTheField()
    {
        var error = ParseError("pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n    measuredAt: yesterday\n");

        Assert.Equal("pool.yaml (line 4): endpoints[0].measuredAt must be an ISO 8601 timestamp, not 'yesterday'.", error);
    }

    [Fact]
    public void Parse_EmptyAdapterName_FailsNamingTheListItem()
    {
        var error = ParseError("pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n    activeAdapters: [a, '']\n");

        Assert.Equal("pool.yaml (line 4): endpoints[0].activeAdapters[1] must be a non-empty string.", error);
    }
}
