using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Suite.MetricsCollector.Discovery;
using Suite.MetricsCollector.Observability;
using Suite.MetricsCollector.Publishing;
using Suite.MetricsCollector.Scraping;
using Suite.Messaging;

namespace Suite.MetricsCollector.Hosting;

public static class CollectorHostingExtensions
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddMetricsCollector(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, CollectorOptions.SwitchMappings);
        var services = builder.Services;
        services.AddOptions<CollectorOptions>().BindConfiguration(CollectorOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CollectorOptions>, CollectorOptionsValidator>();
        var options = builder.Configuration.GetSection(CollectorOptions.Section).Get<CollectorOptions>() ?? new CollectorOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ListenAnyIP(options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1));

        services.AddSingleton(TimeProvider.System);
        services.AddSuiteMessaging(builder.Configuration);
        services.AddEngineMetricNames(builder.Configuration);
        AddDiscovery(services, options);
        services.AddSingleton(provider => new MetricsPageFetcher(provider.GetRequiredService<IOptions<CollectorOptions>>().Value.MaxMetricsBytes));
        services.AddSingleton<CollectorMetrics>();
        services.AddSingleton<PoolVersions>();
        services.AddSingleton<PodStatePublisher>();
        services.AddSingleton<ScrapeLoop>();
        services.AddHostedService(provider => provider.GetRequiredService<ScrapeLoop>());
        services.AddHealthChecks().AddCheck<DiscoveryReadyCheck>("discovery", tags: [ReadyTag]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(CollectorMetrics.MeterName, MessagingMetrics.MeterName)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees the latest counts
        return builder;
    }

    public static WebApplication MapMetricsCollector(this WebApplication app)
    {
        // Liveness: the process answers. Readiness: the first full view of pools and pods is loaded.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static void AddDiscovery(IServiceCollection services, CollectorOptions options)
    {
        if (options.Discovery == DiscoveryMode.Static)
        {
            services.AddOptions<StaticDiscoveryOptions>()
                .Configure<IOptions<CollectorOptions>>((discovery, collector) => discovery.Path = collector.Value.ManifestsFile ?? "");
            services.AddSingleton<StaticManifestDiscovery>();
            services.AddSingleton<IEndpointDiscovery>(provider => provider.GetRequiredService<StaticManifestDiscovery>());
        }
        else
        {
            services.AddKubernetesDiscovery();
        }
    }
}

/// <summary>Ready once discovery has its first full view; scraping and publishing start then.</summary>
internal sealed class DiscoveryReadyCheck(IEndpointDiscovery discovery) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(discovery.ReadyAsync(CancellationToken.None).IsCompletedSuccessfully
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the first list of pools and pods is not loaded yet"));
}
