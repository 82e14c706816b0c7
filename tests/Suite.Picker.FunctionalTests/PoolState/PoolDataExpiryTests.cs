using System.Collections.Immutable;
using System.Text;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Pools;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Pools;

namespace Suite.Picker.FunctionalTests.PoolState;

/// <summary>
/// The metrics-collector stops publishing: the picker routes on its last snapshot until <c>Picker:PoolDataExpiry</c>,
/// then ends each stream with UNAVAILABLE (the gateway applies the pool's failure mode) and is not ready, until a
/// newer snapshot arrives.
/// </summary>
public sealed class PoolDataExpiryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private PickerFactory? _picker;

    [Fact]
    public async Task CollectorSilent_RoutesUntilTheExpiry_ThenDeclinesWithUnavailable_AndRecoversOnTheNextSnapshot()
    {
        var picker = Picker(expiry: "00:00:30");
        Deliver(picker, version: 1, takenAt: Start);

        _time.Advance(TimeSpan.FromSeconds(30));
        var justInTime = await RouteAsync(picker);
        var readyAtTheEdge = await ReadinessAsync(picker);

        _time.Advance(TimeSpan.FromSeconds(1));
        var declined = await Assert.ThrowsAsync<RpcException>(() => RouteAsync(picker));
        var readyAfter = await ReadinessAsync(picker);

        Deliver(picker, version: 2, takenAt: _time.GetUtcNow());
        var recovered = await RouteAsync(picker);

        Assert.Equal("10.0.0.1:8000", justInTime);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, readyAtTheEdge);
        Assert.Equal(StatusCode.Unavailable, declined.StatusCode);
        Assert.Equal(
            "pool chat-pool: the newest pod-state snapshot is 31.0 s old, older than Picker:PoolDataExpiry (00:00:30); is the metrics-collector running?",
            declined.Status.Detail);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, readyAfter);
        Assert.Equal("10.0.0.1:8000", recovered);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ReadinessAsync(picker));
    }

    [Fact]
    public async Task ExpiryZero_RoutesOnTheLastSnapshotForEver()
    {
        var picker = Picker(expiry: "00:00:00");
        Deliver(picker, version: 1, takenAt: Start);

        _time.Advance(TimeSpan.FromDays(3));

        Assert.Equal("10.0.0.1:8000", await RouteAsync(picker));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ReadinessAsync(picker));
    }

    [Fact]
    public async Task SnapshotAlreadyExpiredWhenStoredAndReadAtStartUp_IsDeclinedAtOnce()
    {
        var picker = Picker(expiry: "00:00:10");
        Deliver(picker, version: 4, takenAt: Start - TimeSpan.FromMinutes(2));

        var declined = await Assert.ThrowsAsync<RpcException>(() => RouteAsync(picker));

        Assert.Equal(StatusCode.Unavailable, declined.StatusCode);
        Assert.StartsWith("pool chat-pool: the newest pod-state snapshot is 120.0 s old", declined.Status.Detail, StringComparison.Ordinal);
    }

    public void Dispose() => _picker?.Dispose();

    private PickerFactory Picker(string expiry)
    {
        _picker = new PickerFactory()
            .With("Picker:PoolName", "chat-pool")
            .With("Picker:PoolDataExpiry", expiry)
            .With("Messaging:Mode", "InMemory")
            .WithServices(services => services.AddSingleton<TimeProvider>(_time));
        return _picker;
    }

    private static void Deliver(PickerFactory picker, long version, DateTimeOffset takenAt)
    {
        var endpoint = PickerFactory.Endpoint("10.0.0.1:8000");
        var published = picker.Services.GetRequiredService<PoolStateStore>()
            .Publish(new PoolSnapshot("chat-pool", version, takenAt, ImmutableArray.Create(endpoint)));
        Assert.True(published);
    }

    /// <summary>One request; returns its destination, or throws the stream's gRPC status.</summary>
    private static async Task<string> RouteAsync(PickerFactory picker)
    {
        await using var envoy = picker.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes("""{"model":"m","messages":[]}"""), endOfStream: true);
        var answer = await envoy.ReadAsync();
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, answer.ResponseCase);
        return answer.RequestHeaders.Response.HeaderMutation.SetHeaders
            .Single(h => h.Header.Key == "x-gateway-destination-endpoint").Header.RawValue.ToStringUtf8();
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus> ReadinessAsync(PickerFactory picker) =>
        (await new Grpc.Health.V1.Health.HealthClient(picker.Channel).CheckAsync(new HealthCheckRequest { Service = "readiness" })).Status;
}
