using k8s;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Suite.Kubernetes;
using Suite.MetricsCollector.Hosting;

namespace Suite.MetricsCollector.Tests.Discovery;

/// <summary>The watch timing settings (<c>Collector:Watch</c>) reach the watchers' options, and bad ones stop the start.</summary>
public sealed class WatchOptionsTests
{
    [Fact]
    public async Task WatchSettings_AreBound()
    {
        await using var server = await ApiObjects.StartServerAsync();
        await using var collector = KubernetesCollectorHost.Start(server);

        var expected = new ResourceWatcherOptions { BackoffBase = KubernetesCollectorHost.BackoffBase, BackoffCap = KubernetesCollectorHost.BackoffCap };
        Assert.Equal(expected, collector.Options.Watch);
    }

    [Fact]
    public async Task BackoffCapBelowItsBase_StopsTheStart_NamingTheKey()
    {
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });
        await using var factory = new WebApplicationFactory<CollectorOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Collector:Discovery", "Kubernetes");
            host.UseSetting("Collector:Watch:BackoffBase", "00:00:01");
            host.UseSetting("Collector:Watch:BackoffCap", "00:00:00.100");
            host.UseSetting("Messaging:Mode", "InMemory");
            host.ConfigureServices(services => services.AddSingleton<IKubernetes>(client));
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Equal(
            "Collector:Watch: ResourceWatcherOptions.BackoffCap must be at least BackoffBase (00:00:01). (Parameter 'BackoffCap') Actual value was 00:00:00.1000000.",
            Assert.Single(error.Failures));
    }
}
