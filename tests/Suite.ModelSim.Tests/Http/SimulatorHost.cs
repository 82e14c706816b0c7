using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Suite.ModelSim.Engine;
using Suite.ModelSim.Faults;
using Suite.ModelSim.Hosting;

namespace Suite.ModelSim.Tests.Http;

/// <summary>A fleet of tiny simulated servers on free loopback ports, with an HTTP client for each.</summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    private readonly ModelSimFleet _fleet;

    private SimulatorHost(ModelSimFleet fleet)
    {
        _fleet = fleet;
        Clients = [.. fleet.Instances.Select(i => new HttpClient { BaseAddress = i.Address, Timeout = TimeSpan.FromSeconds(30) })];
    }

    public HttpClient[] Clients { get; }

    public HttpClient Client => Clients[0];

    public IReadOnlyList<SimulatorInstance> Instances => _fleet.Instances;

    public static EngineProfile TinyProfile => Presets.Tiny;

    public static async Task<SimulatorHost> StartAsync(
        int instances = 1, Func<EngineProfile, EngineProfile>? engine = null, FaultSettings? faults = null, Action<FleetOptions>? fleet = null)
    {
        var options = new FleetOptions { Preset = "tiny", Instances = instances, Port = 0, LoraModules = "sql-lora=/adapters/sql,code-lora=/adapters/code" };
        fleet?.Invoke(options);
        var profile = engine?.Invoke(Presets.Tiny) ?? Presets.Tiny;
        return new SimulatorHost(await ModelSimFleet.StartAsync(new SimulatorSettings(options, profile, faults ?? new FaultSettings())));
    }

    public static JsonContent Json(object body) => JsonContent.Create(body);

    /// <summary>The value of one sample of <c>/metrics</c>: the first series of that name whose labels contain <paramref name="labelPart"/>.</summary>
    public async Task<double> MetricAsync(string name, string labelPart = "", int instance = 0)
    {
        var text = await Clients[instance].GetStringAsync("/metrics");
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(labelPart, StringComparison.Ordinal))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{name} not in /metrics");
    }

    /// <summary>Polls until the condition holds: for state another thread reaches (requests arriving in the engine).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }

        await _fleet.DisposeAsync();
    }
}
