using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Messaging;
using Suite.Messaging.InMemory;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Scheduling.Prefix;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.DecisionSharing;

/// <summary>Two picker replicas of one pool on one in-process bus: each learns where the other sent a prefix.</summary>
public sealed class ActiveActiveTests : IDisposable
{
    private const string X = "10.0.0.1:8000";
    private const string Y = "10.0.0.2:8000";

    private static readonly string SystemPrompt = string.Concat(Enumerable.Repeat("You summarise support tickets for the billing team. ", 40));

    private readonly InMemoryBus _bus = new(NullLogger<InMemoryBus>.Instance);
    private readonly List<PickerFactory> _replicas = [];

    public void Dispose()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }
    }

    private PickerFactory Replica(string id, bool share = true)
    {
        var replica = new PickerFactory()
            .With("Messaging:Mode", "InMemory")
            .With("Picker:ReplicaId", id)
            .With("Picker:Prefix:ShareDecisions", share ? "true" : "false")
            .WithServices(services =>
            {
                services.AddSingleton(_bus);
                services.AddSingleton<IEventPublisher>(_bus);
            });
        _replicas.Add(replica);
        _ = replica.Server;
        return replica;
    }

    private static string Chat(string question) =>
        $$"""{"model":"base-model","messages":[{"role":"system","content":"{{SystemPrompt}}"},{"role":"user","content":"{{question}}"}]}""";

    private static async Task<string> RouteAsync(PickerFactory replica, string body)
    {
        await using var envoy = replica.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(body), endOfStream: true);
        var headers = await envoy.ReadAsync();
        await envoy.ReadStreamedRequestBodyAsync();
        return SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint")!;
    }

    [Fact]
    public async Task Route_PrefixRoutedByReplicaA_ReplicaBSendsTheSamePrefixToTheSameEndpoint()
    {
        var a = Replica("picker-a");
        var b = Replica("picker-b");
        a.Publish(PickerFactory.Endpoint(X, waiting: 1), PickerFactory.Endpoint(Y, waiting: 0));
        b.Publish(PickerFactory.Endpoint(X, waiting: 1), PickerFactory.Endpoint(Y, waiting: 0));

        var first = await RouteAsync(a, Chat("Why was invoice 1041 charged twice?"));
        Assert.Equal(Y, first);
        Assert.True(await Eventually.TrueAsync(() => b.Services.GetRequiredService<PrefixCacheIndex>().BlockCount(Y) > 0));

        // B sees Y a little busier than X; without A's placement it would pick X.
        b.Publish(PickerFactory.Endpoint(X, waiting: 0), PickerFactory.Endpoint(Y, waiting: 1));
        var second = await RouteAsync(b, Chat("Can the late fee on account 77 be waived?"));

        Assert.Equal(Y, second);
    }

    [Fact]
    public async Task Route_SharingOff_ReplicaBDoesNotKnowWhereAWent()
    {
        var a = Replica("picker-a", share: false);
        var b = Replica("picker-b", share: false);
        a.Publish(PickerFactory.Endpoint(X, waiting: 1), PickerFactory.Endpoint(Y, waiting: 0));
        b.Publish(PickerFactory.Endpoint(X, waiting: 1), PickerFactory.Endpoint(Y, waiting: 0));
        Assert.Equal(Y, await RouteAsync(a, Chat("Why was invoice 1041 charged twice?")));
        await Task.Delay(200);   // four publish intervals, had sharing been on

        b.Publish(PickerFactory.Endpoint(X, waiting: 0), PickerFactory.Endpoint(Y, waiting: 1));
        var second = await RouteAsync(b, Chat("Can the late fee on account 77 be waived?"));

        Assert.Equal(X, second);
        Assert.Equal(0, b.Services.GetRequiredService<PrefixCacheIndex>().BlockCount(Y));
    }
}
