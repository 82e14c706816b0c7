using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
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
    public async Task BackoffCapBelowItsBase_FailsStartUpValidation_NamingTheKey()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Collector:Discovery"] = "Kubernetes",
            ["Collector:Watch:BackoffBase"] = "00:00:01",
            ["Collector:Watch:BackoffCap"] = "00:00:00.100",
            ["Messaging:Mode"] = "InMemory",
        });
        builder.AddMetricsCollector([]);
        await using var app = builder.Build();

        var failure = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            "Collector:Watch: ResourceWatcherOptions.BackoffCap must be at least BackoffBase (00:00:01). (Parameter 'BackoffCap') Actual value was 00:00:00.1000000.",
            Assert.Single(failure.Failures));
    }
}
