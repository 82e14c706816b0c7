using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Contracts.Keda;
using Suite.Queue.Admission;
using Suite.Queue.Hosting;
using Suite.Queue.Pressure;
using Suite.Queue.Scaling;

namespace Suite.Queue.Tests.Scaling;

/// <summary>
/// The scaler as the queue host wires it (<c>AddQueueScaling</c>, <c>MapQueueScaling</c>) on an in-memory server,
/// reached through a real gRPC channel, as KEDA reaches it; the pool pressure is the test's.
/// </summary>
internal sealed class ScalerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private ScalerHost(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        _channel = channel;
        Client = new ExternalScaler.ExternalScalerClient(channel);
    }

    public ExternalScaler.ExternalScalerClient Client { get; }

    /// <param name="sharding">The queue's settings when pools are sharded (the host then knows which it owns); null: one replica owns every pool.</param>
    public static async Task<ScalerHost> StartAsync(IPoolPressureSource source, QueueOptions? sharding = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(source);
        if (sharding is not null)
        {
            builder.Services.AddSingleton(Options.Create(sharding));
            builder.Services.AddSingleton<ShardOwnership>();
        }

        builder.Services.AddQueueScaling();
        var app = builder.Build();
        app.MapQueueScaling();
        await app.StartAsync();
        var server = app.GetTestServer();
        var channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
        return new ScalerHost(app, channel);
    }

    /// <summary>A trigger's ScaledObjectRef as KEDA sends it: the ScaledObject's name and namespace, every metadata key.</summary>
    public static ScaledObjectRef Trigger(params (string Key, string Value)[] metadata)
    {
        var target = new ScaledObjectRef { Name = "llama", Namespace = "models" };
        target.ScalerMetadata.Add("scalerAddress", "queue.inference-suite:9004");
        foreach (var (key, value) in metadata)
        {
            target.ScalerMetadata[key] = value;
        }

        return target;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
    }
}
