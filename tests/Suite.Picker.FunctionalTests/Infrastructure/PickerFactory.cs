using System.Collections.Immutable;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Pools;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling.InFlight;

namespace Suite.Picker.FunctionalTests.Infrastructure;

/// <summary>
/// The real picker host (Program) on an in-memory server, reached through a real gRPC channel. Settings are
/// configuration keys as an operator would set them; the pool is published straight into the store.
/// </summary>
public sealed class PickerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly List<string> _tempFiles = [];
    private readonly List<Action<IServiceCollection>> _services = [];
    private GrpcChannel? _channel;

    public PickerFactory With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    public PickerFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Writes <paramref name="yaml"/> to a temp file and points <c>Picker:ConfigFile</c> at it.</summary>
    public PickerFactory WithProfile(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"picker-profile-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        _tempFiles.Add(path);
        return With("Picker:ConfigFile", path);
    }

    public GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(
        Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    public InFlightLoad InFlight => Services.GetRequiredService<InFlightLoad>();

    public void Publish(params EndpointSnapshot[] endpoints)
    {
        var store = Services.GetRequiredService<PoolStateStore>();
        var version = (store.Current?.Version ?? 0) + 1;
        store.Publish(new PoolSnapshot("test-pool", version, DateTimeOffset.UtcNow, [.. endpoints]));
    }

    public EnvoyExchange OpenStream() => new(Channel);

    /// <summary>An exchange whose request has been routed and its body returned: ready for the response phase.</summary>
    public async Task<EnvoyExchange> OpenRoutedExchangeAsync(bool stream = false)
    {
        var envoy = OpenStream();
        await envoy.SendRequestHeadersAsync();
        var body = stream ? """{"model":"m","messages":[],"stream":true}""" : """{"model":"m","messages":[]}""";
        await envoy.SendRequestBodyAsync(System.Text.Encoding.UTF8.GetBytes(body), endOfStream: true);
        await envoy.ReadAsync();
        await envoy.ReadStreamedRequestBodyAsync();
        return envoy;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        _channel?.Dispose();
        base.Dispose(disposing);
        foreach (var file in _tempFiles)
        {
            File.Delete(file);
        }
    }

    public static EndpointSnapshot Endpoint(
        string address,
        int waiting = 0,
        double kv = 0,
        int running = 0,
        string[]? activeAdapters = null,
        int maxLora = 0,
        string? baseModel = "base-model") =>
        new(address, $"pod-{address}", baseModel, new EndpointMetrics(
            waiting, running, kv, [.. activeAdapters ?? []], ImmutableArray<string>.Empty, maxLora, MeasuredAt: null));
}
