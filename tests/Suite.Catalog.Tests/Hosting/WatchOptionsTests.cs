using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Suite.Catalog.Hosting;
using Suite.Catalog.Tests.Kubernetes;
using Suite.Kubernetes;

namespace Suite.Catalog.Tests.Hosting;

/// <summary>The watch timing settings (<c>Catalog:Watch</c>) reach the watchers' options, and bad ones stop the start.</summary>
public sealed class WatchOptionsTests
{
    [Fact]
    public async Task WatchSettings_AreBound()
    {
        await using var server = await Cluster.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Catalog:Watch:WatchTimeout"] = "00:01:00",
            ["Catalog:Watch:SilenceTimeout"] = "00:02:00",
            ["Catalog:Watch:BackoffBase"] = "00:00:00.050",
            ["Catalog:Watch:BackoffCap"] = "00:00:00.200",
        };
        await using var catalog = CatalogReplica.Start(server, "solo", electLeader: false, settings);

        var bound = catalog.Factory.Services.GetRequiredService<IOptions<CatalogOptions>>().Value.Watch;

        var expected = new ResourceWatcherOptions
        {
            WatchTimeout = TimeSpan.FromMinutes(1),
            SilenceTimeout = TimeSpan.FromMinutes(2),
            BackoffBase = TimeSpan.FromMilliseconds(50),
            BackoffCap = TimeSpan.FromMilliseconds(200),
        };
        Assert.Equal(expected, bound);
    }

    [Fact]
    public async Task SilenceTimeoutNotAboveTheWatchTimeout_FailsStartUpValidation_NamingTheKey()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Catalog:Source"] = "Kubernetes",
            ["Catalog:Watch:SilenceTimeout"] = "00:05:00",
            ["Messaging:Mode"] = "InMemory",
        });
        builder.AddCatalog([]);
        await using var app = builder.Build();

        var failure = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            "Catalog:Watch: ResourceWatcherOptions.SilenceTimeout must exceed WatchTimeout (00:05:00). (Parameter 'SilenceTimeout') Actual value was 00:05:00.",
            Assert.Single(failure.Failures));
    }
}
