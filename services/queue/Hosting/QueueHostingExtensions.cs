using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Queue.Admission;
using Suite.Queue.Observability;
using Suite.Queue.Pressure;
using Suite.Queue.Scaling;
using Suite.Security;

namespace Suite.Queue.Hosting;

public static class QueueHostingExtensions
{
    public static WebApplicationBuilder AddQueue(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, QueueOptions.SwitchMappings);
        var services = builder.Services;
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>();
        var options = builder.Configuration.GetSection(QueueOptions.Section).Get<QueueOptions>() ?? new QueueOptions();
        services.TryAddSingleton(TimeProvider.System);
        if (options.Tls.Enabled)
        {
            services.AddServerCertificate(provider => new ReloadingServerCertificate(options.Tls, QueueOptions.TlsSection, provider.GetRequiredService<TimeProvider>()));
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(options.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.Tls.Enabled)
                {
                    listen.UseServerCertificate<ReloadingServerCertificate>(options.Tls);
                }
            });
            kestrel.ListenAnyIP(options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1); // the Dapr sidecar calls the app over HTTP/1.1
        });

        services.AddGrpc();
        services.AddSuiteMessaging(builder.Configuration);
        services.AddEventSubscription<PoolSnapshot, PodStateHandler>(SuiteTopics.PodState);
        services.AddSingleton<ShardOwnership>();
        services.AddSingleton<QueueMetrics>();
        services.AddSingleton<AdmissionController>();
        services.AddSingleton<IPoolPressureSource>(provider => provider.GetRequiredService<AdmissionController>());
        services.AddQueueScaling();
        services.AddPoolPressureReporting();
        services.AddHealthChecks();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(QueueMetrics.MeterName, MessagingMetrics.MeterName)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    public static WebApplication MapQueue(this WebApplication app)
    {
        // Read unvalidated here: validation runs in RunQueueAsync, which turns a bad setting into exit code 2.
        var options = app.Configuration.GetSection(QueueOptions.Section).Get<QueueOptions>() ?? new QueueOptions();
        app.MapGrpcService<AdmissionQueueService>();
        app.MapQueueScaling();
        app.MapHealthChecks("/healthz");
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapEventSubscriptions($"*:{options.HttpPort}");
        return app;
    }
}
