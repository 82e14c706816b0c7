using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Queue;
using Suite.Queue.Admission;
using Suite.Queue.Hosting;

namespace Suite.Queue.Tests.Admission;

/// <summary>The real queue host (in-memory server, fake clock), with a gRPC client on its admission API.</summary>
internal sealed class QueueHost : IAsyncDisposable
{
    private QueueHost(WebApplicationFactory<QueueOptions> factory, FakeTimeProvider time)
    {
        Factory = factory;
        Time = time;
        Channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        Client = new AdmissionQueue.AdmissionQueueClient(Channel);
    }

    public WebApplicationFactory<QueueOptions> Factory { get; }

    public FakeTimeProvider Time { get; }

    public GrpcChannel Channel { get; }

    public AdmissionQueue.AdmissionQueueClient Client { get; }

    public AdmissionController Controller => Factory.Services.GetRequiredService<AdmissionController>();

    public static QueueHost Start(params (string Key, string Value)[] settings)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var factory = new WebApplicationFactory<QueueOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Messaging:Mode", "InMemory");
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }

            host.ConfigureServices(services => services.AddSingleton<TimeProvider>(time));
        });
        return new QueueHost(factory, time);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Factory.DisposeAsync();
    }
}
