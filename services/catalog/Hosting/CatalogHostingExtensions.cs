using k8s;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Suite.Catalog.Api;
using Suite.Catalog.Leadership;
using Suite.Catalog.Observability;
using Suite.Catalog.Publishing;
using Suite.Catalog.Resolution;
using Suite.Catalog.Sources;
using Suite.Catalog.Status;
using Suite.Messaging;

namespace Suite.Catalog.Hosting;

public static class CatalogHostingExtensions
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, CatalogOptions.SwitchMappings);
        var services = builder.Services;
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>();
        var options = builder.Configuration.GetSection(CatalogOptions.Section).Get<CatalogOptions>() ?? new CatalogOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ListenAnyIP(options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSuiteMessaging(builder.Configuration);
        if (options.Source == CatalogSourceMode.Static)
        {
            services.AddSingleton<ICatalogSource, StaticCatalogSource>();
            services.AddSingleton<ICatalogLeadership, SoleReplica>();
        }
        else
        {
            AddKubernetes(services, options);
        }

        services.AddSingleton<CatalogState>();
        services.AddSingleton<CatalogPublisher>();
        services.AddSingleton<CatalogMetrics>();
        services.AddHostedService<CatalogLoop>();
        services.AddHealthChecks().AddCheck<CatalogReadyCheck>("catalog", tags: [ReadyTag]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(CatalogMetrics.MeterName, MessagingMetrics.MeterName)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    public static WebApplication MapCatalog(this WebApplication app)
    {
        // Liveness: the process answers. Readiness: the resources are loaded and resolved once.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapCatalogApi();
        return app;
    }

    private static void AddKubernetes(IServiceCollection services, CatalogOptions options)
    {
        // The API client from the in-cluster service account, or from the kubeconfig outside a cluster.
        services.TryAddSingleton<IKubernetes>(_ => new k8s.Kubernetes(KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile()));
        services.AddSingleton<KubernetesCatalogSource>();
        services.AddSingleton<ICatalogSource>(provider => provider.GetRequiredService<KubernetesCatalogSource>());
        services.AddHostedService(provider => provider.GetRequiredService<KubernetesCatalogSource>());
        services.AddSingleton<IStatusApi, KubernetesStatusApi>();
        services.AddSingleton<StatusWriter>(); // a static file has no status to write: only here
        if (options.LeaderElection.Enabled)
        {
            services.AddSingleton<KubernetesLeadership>();
            services.AddSingleton<ICatalogLeadership>(provider => provider.GetRequiredService<KubernetesLeadership>());
            services.AddHostedService(provider => provider.GetRequiredService<KubernetesLeadership>());
        }
        else
        {
            services.AddSingleton<ICatalogLeadership, SoleReplica>();
        }
    }
}

/// <summary>Ready once the resources are loaded and resolved: the HTTP API has answers.</summary>
internal sealed class CatalogReadyCheck(CatalogState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Current is not null
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the resources are not loaded and resolved yet"));
}
