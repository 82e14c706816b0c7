using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Messaging;
using Suite.Queue.Pressure;

namespace Suite.Queue.Tests.Pressure;

/// <summary>AddPoolPressureReporting in a host, as the queue's hosting calls it.</summary>
public sealed class PressureRegistrationTests
{
    private readonly FakePoolPressureSource _source = new();
    private readonly RecordingEventPublisher _bus = new();

    [Fact]
    public async Task Start_BadPressureSetting_FailsNamingTheKey()
    {
        using var host = Build(("Queue:PressureHeartbeat", "00:00:00.500"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            ["Queue:PressureHeartbeat must be at least Queue:PressureInterval (00:00:01), not 00:00:00.5000000."],
            error.Failures);
    }

    [Fact]
    public async Task Start_PoolsKnown_EachPublishedThroughTheHostsPublisher()
    {
        _source.Set("chat-pool", 1, ("llama", 0, 2));
        using var host = Build();

        await host.StartAsync();
        var published = await _bus.NextAsync();
        await host.StopAsync();

        Assert.Equal(("chat-pool", 2), (published.Pool, published.QueueDepth));
    }

    private IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Services.AddSingleton<IPoolPressureSource>(_source);
        builder.Services.AddSingleton<IEventPublisher>(_bus);
        builder.Services.AddPoolPressureReporting();
        return builder.Build();
    }
}
