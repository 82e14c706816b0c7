using Suite.Contracts.Keda;
using Suite.Queue.Tests.Pressure;

namespace Suite.Queue.Tests.Scaling;

/// <summary>A scaler host per test, over a pressure source the test sets.</summary>
public abstract class ScalerTests : IAsyncLifetime
{
    private ScalerHost? _host;

    internal FakePoolPressureSource Source { get; } = new();

    internal ExternalScaler.ExternalScalerClient Scaler => _host!.Client;

    public async Task InitializeAsync() => _host = await ScalerHost.StartAsync(Source);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
