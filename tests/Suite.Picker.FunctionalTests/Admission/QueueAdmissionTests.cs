using System.Text;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Catalog;
using Suite.Contracts.Queue;
using Suite.Picker.Catalog;
using Suite.Picker.FunctionalTests.Infrastructure;
using static Suite.Picker.FunctionalTests.Admission.FakeQueueServer;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;
using Criticality = Suite.Contracts.Catalog.Criticality;

namespace Suite.Picker.FunctionalTests.Admission;

/// <summary>
/// Admission through the real ext_proc path, with the picker's real gRPC queue client talking to a queue replica
/// on a loopback port. The pool is saturated unless a test says otherwise: queues of 12 and 6 against a threshold
/// of 5, saturation (2.4 + 1.2) / 2 = 1.8; the scheduler prefers 10.0.0.2:8000.
/// </summary>
public sealed class QueueAdmissionTests : IAsyncLifetime
{
    private const string LeastLoaded = "10.0.0.2:8000";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly List<PickerFactory> _pickers = [];
    private FakeQueueServer _queue = null!;

    public async Task InitializeAsync() => _queue = await StartAsync();

    [Fact]
    public async Task Process_SaturatedPoolQueueAdmitsLater_RoutedOnlyAfterTheAdmission()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.OnAdmit = async (_, updates, cancelled) =>
        {
            await updates.WriteAsync(Queued(), cancelled);
            await release.Task.WaitAsync(cancelled);
            await updates.WriteAsync(Admitted(), cancelled);
        };
        var picker = Picker(_queue.Address, fakeClock: true);
        await using var envoy = picker.OpenStream();

        await SendAsync(envoy, "m", new Dictionary<string, string> { ["x-request-id"] = "req-9", ["x-gateway-inference-fairness-id"] = "tenant-a" });
        var asked = await _queue.FirstCall.WaitAsync(Patience);
        var answer = envoy.ReadAsync();
        Assert.False(answer.IsCompleted);
        release.SetResult();
        var response = await answer;

        Assert.Equal(LeastLoaded, SetHeader(response.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(
            new AdmitRequest
            {
                Pool = "test-pool",
                RequestId = "req-9",
                Criticality = Contracts.Queue.Criticality.Standard,
                FairnessId = "tenant-a",
                TargetModel = "m",
                SizeBytes = Body("m").Length,
                Deadline = Timestamp.FromDateTimeOffset(_time.GetUtcNow() + TimeSpan.FromSeconds(30)),
            },
            asked);
    }

    [Fact]
    public async Task Process_StreamCancelledWhileQueued_TheQueueSeesItsCallCancelled()
    {
        _queue.OnAdmit = async (_, updates, cancelled) =>
        {
            await updates.WriteAsync(Queued(), cancelled);
            await Task.Delay(Timeout.Infinite, cancelled);
        };
        var picker = Picker(_queue.Address, fakeClock: true);
        await using var envoy = picker.OpenStream();

        await SendAsync(envoy, "m");
        await _queue.FirstCall.WaitAsync(Patience);
        envoy.Cancel();

        await _queue.CallCancelled.WaitAsync(Patience);
    }

    [Fact]
    public async Task Process_UnsaturatedPool_RoutedWithoutAskingTheQueue()
    {
        var picker = Picker(_queue.Address, fakeClock: false);
        picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000", waiting: 1), PickerFactory.Endpoint(LeastLoaded, waiting: 0));
        await using var envoy = picker.OpenStream();

        await SendAsync(envoy, "batch");
        var response = await envoy.ReadAsync();

        Assert.Equal(LeastLoaded, SetHeader(response.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Empty(_queue.Requests);
    }

    [Fact]
    public async Task Process_QueueDownSheddableRequest_Answered429()
    {
        var picker = Picker(RefusingAddress(), fakeClock: false);
        await using var envoy = picker.OpenStream();

        await SendAsync(envoy, "batch");
        var response = await envoy.ReadAsync();

        Assert.Equal(
            "The pool is saturated and this request is sheddable; retry later.",
            ImmediateError(response, 429, "rate_limit_exceeded"));
        Assert.Equal("picker_request_shed", response.ImmediateResponse.Details);
    }

    [Fact]
    public async Task Process_QueueDownStandardRequest_Routed()
    {
        var picker = Picker(RefusingAddress(), fakeClock: false);
        await using var envoy = picker.OpenStream();

        await SendAsync(envoy, "m");
        var response = await envoy.ReadAsync();

        Assert.Equal(LeastLoaded, SetHeader(response.RequestHeaders.Response, "x-gateway-destination-endpoint"));
    }

    [Fact]
    public async Task Process_QueueFull_Answered429()
    {
        _queue.OnAdmit = (_, updates, cancelled) => updates.WriteAsync(Rejected(RejectReason.QueueFull), cancelled);
        var picker = Picker(_queue.Address, fakeClock: true);
        await using var envoy = picker.OpenStream();

        await SendAsync(envoy, "m");
        var response = await envoy.ReadAsync();

        Assert.Equal(
            "The pool is saturated and its queue holds as many requests of this priority as it may; retry later.",
            ImmediateError(response, 429, "rate_limit_exceeded"));
        Assert.Equal("picker_queue_full", response.ImmediateResponse.Details);
    }

    [Fact]
    public async Task Process_QueueFullForACriticalRequest_RoutedToTheLeastLoadedPod()
    {
        _queue.OnAdmit = (_, updates, cancelled) => updates.WriteAsync(Rejected(RejectReason.QueueFull), cancelled);
        var picker = Picker(_queue.Address, fakeClock: true);
        await using var envoy = picker.OpenStream();

        await SendAsync(envoy, "urgent");
        var response = await envoy.ReadAsync();

        Assert.Equal(LeastLoaded, SetHeader(response.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(Contracts.Queue.Criticality.Critical, (await _queue.FirstCall).Criticality);
    }

    [Fact]
    public async Task Process_ExpiredInTheQueue_Answered503()
    {
        _queue.OnAdmit = async (_, updates, cancelled) =>
        {
            await updates.WriteAsync(Queued(), cancelled);
            await updates.WriteAsync(Expired(), cancelled);
        };
        var picker = Picker(_queue.Address, fakeClock: true);
        await using var envoy = picker.OpenStream();

        await SendAsync(envoy, "m");
        var response = await envoy.ReadAsync();

        Assert.Equal(
            "The request waited in the queue until its deadline without a model server coming free.",
            ImmediateError(response, 503, "service_unavailable"));
        Assert.Equal("picker_queue_expired", response.ImmediateResponse.Details);
    }

    public async Task DisposeAsync()
    {
        foreach (var picker in _pickers)
        {
            picker.Dispose();
        }

        await _queue.DisposeAsync();
    }

    /// <summary>
    /// A picker asking the queue at <paramref name="queueAddress"/>, holding the saturated pool and a catalog with
    /// <c>batch</c> (Sheddable) and <c>urgent</c> (Critical). With the fake clock, a queue that is slow to answer
    /// never times out, so only what the test does can end a call.
    /// </summary>
    private PickerFactory Picker(string queueAddress, bool fakeClock)
    {
        var picker = new PickerFactory().With("Picker:Queue:Addresses:0", queueAddress);
        if (fakeClock)
        {
            picker.WithServices(services => services.AddSingleton<TimeProvider>(_time));
        }

        _pickers.Add(picker);
        picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000", waiting: 12), PickerFactory.Endpoint(LeastLoaded, waiting: 6));
        picker.Services.GetRequiredService<CatalogStore>().Publish(new CatalogSnapshot(
            "test-pool",
            1,
            DateTimeOffset.UtcNow,
            [new CatalogModel("batch", Criticality.Sheddable, []), new CatalogModel("urgent", Criticality.Critical, [])],
            [],
            []));
        return picker;
    }

    private static byte[] Body(string model) => Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[]}""");

    private static async Task SendAsync(EnvoyExchange envoy, string model, Dictionary<string, string>? headers = null)
    {
        await envoy.SendRequestHeadersAsync(headers: headers);
        await envoy.SendRequestBodyAsync(Body(model), endOfStream: true);
    }
}
