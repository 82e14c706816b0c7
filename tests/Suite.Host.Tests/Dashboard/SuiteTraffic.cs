using System.Net.Http.Json;
using System.Text.Json;
using Suite.Host.CommandLine;
using Suite.Host.Hosting;
using Suite.Host.Ports;

namespace Suite.Host.Tests.Dashboard;

/// <summary>
/// The real embedded suite (demo cluster on free ports: two pools of simulated 8B pods, queue, pickers, catalog,
/// collector, gateway) with clients sending completions through the gateway until disposed.
/// </summary>
internal sealed class SuiteTraffic : IAsyncDisposable
{
    // The demo catalog's names: Critical, Standard, a rewrite, the base model, and sheddable background work.
    private static readonly (string Model, string? Objective)[] Requests =
    [
        ("chat", null), ("sql-assistant", null), ("summarizer", null), ("gpt-4o-mini", null), ("chat", "batch"),
        ("meta-llama/Llama-3.1-8B-Instruct", null),
    ];

    private readonly string _directory;
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;

    private SuiteTraffic(EmbeddedSuite suite, string directory, int clients)
    {
        Suite = suite;
        _directory = directory;
        _client = new HttpClient { BaseAddress = suite.GatewayAddress, Timeout = TimeSpan.FromSeconds(30) };
        _clients = [.. Enumerable.Range(0, clients).Select(i => Task.Run(() => SendAsync(i, _stop.Token)))];
    }

    public EmbeddedSuite Suite { get; }

    /// <summary>The demo cluster with the pools' pods on free ports (the demo's own 8000 and 8001 may be taken by another suite).</summary>
    public static async Task<SuiteTraffic> StartAsync(int clients)
    {
        var directory = Directory.CreateTempSubdirectory("dashboard-suite-").FullName;
        var ports = PortProbe.FreePorts(2);
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "examples", "demo-cluster.yaml"));
        var cluster = Path.Combine(directory, "cluster.yaml");
        await File.WriteAllTextAsync(cluster, demo
            .Replace("- number: 8000", $"- number: {ports[0]}", StringComparison.Ordinal)
            .Replace("- number: 8001", $"- number: {ports[1]}", StringComparison.Ordinal));
        var suite = await EmbeddedSuite.StartAsync(SuiteHostOptions.WithFreePorts(cluster), CancellationToken.None);
        try
        {
            await suite.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        catch
        {
            await suite.DisposeAsync();
            throw;
        }

        return new SuiteTraffic(suite, directory, clients);
    }

    /// <summary>Waits until the gateway has finished at least <paramref name="requests"/> requests, so the page has figures to show.</summary>
    public async Task FlowingAsync(int requests)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var state = await _client.GetStringAsync("/dashboard/state");
            using var document = JsonDocument.Parse(state);
            if (document.RootElement.GetProperty("totals").GetProperty("requests").GetInt64() >= requests)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {requests} requests through the gateway within 15 s: {state}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        _client.Dispose();
        _stop.Dispose();
        await Suite.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task SendAsync(int client, CancellationToken stop)
    {
        for (var n = client; !stop.IsCancellationRequested; n++)
        {
            var (model, objective) = Requests[n % Requests.Length];
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
            {
                Content = JsonContent.Create(new { model, prompt = $"Request {n} of client {client}: say something.", max_tokens = 12 }),
            };
            if (objective is not null)
            {
                request.Headers.Add("x-gateway-inference-objective", objective);
            }

            try
            {
                using var response = await _client.SendAsync(request, stop);
                await response.Content.ReadAsByteArrayAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // The page shows what the gateway saw; a failed call is the gateway's to count, not this client's.
            }
        }
    }
}
