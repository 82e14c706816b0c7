using Envoy.Service.ExtProc.V3;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Suite.Contracts.Catalog;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Contracts.Routing;
using Suite.Messaging;
using Suite.Picker.Admission;
using Suite.Picker.Catalog;
using Suite.Picker.Configuration;
using Suite.Picker.DecisionSharing;
using Suite.Picker.ExtProc;
using Suite.Picker.Health;
using Suite.Picker.Observability;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.InFlight;
using Suite.Picker.Scheduling.Prefix;
using Suite.Picker.Security;
using Suite.Security;

namespace Suite.Picker.Hosting;

public static class PickerHostingExtensions
{
    public const string LivenessService = "liveness";
    public const string ReadinessService = "readiness";
    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddPicker(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, PickerOptions.SwitchMappings);
        var services = builder.Services;
        services.AddOptions<PickerOptions>().BindConfiguration(PickerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PickerOptions>, PickerOptionsValidator>();

        var options = builder.Configuration.GetSection(PickerOptions.Section).Get<PickerOptions>() ?? new PickerOptions();
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = options.InlineSocketScheduling);
        if (options.Tls.Enabled)
        {
            services.AddServerCertificate(provider => new ServerCertificate(options.Tls, provider.GetRequiredService<TimeProvider>()));
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // h2c unless TLS is configured: Envoy's gRPC clients speak HTTP/2 without TLS inside the cluster.
            kestrel.ListenAnyIP(options.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.Tls.Enabled)
                {
                    listen.UseServerCertificate<ServerCertificate>(options.Tls);
                }
            });
            kestrel.ListenAnyIP(options.HealthPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.ListenAnyIP(options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1); // the Dapr sidecar calls the app over HTTP/1.1
        });

        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = MessageLimit.Bytes(options));
        services.AddGrpcHealthChecks(health =>
            {
                health.Services.Map(LivenessService, check => check.Tags.Contains(LiveTag));
                health.Services.Map(ReadinessService, check => check.Tags.Contains(ReadyTag));
                health.Services.Map(ExternalProcessor.Descriptor.FullName, check => check.Tags.Contains(ReadyTag));
                health.Services.Map("", check => check.Tags.Contains(ReadyTag));
            })
            .AddCheck("process", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<PoolSnapshotHealthCheck>("pool-snapshot", tags: [ReadyTag]);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IRandomSource, SharedRandomSource>();
        services.AddSingleton<PoolStateStore>();
        services.AddSingleton<IPoolState>(provider => provider.GetRequiredService<PoolStateStore>());
        services.AddSingleton<PoolDataFreshness>();
        services.AddSingleton<PoolFileSource>();
        services.AddSuiteMessaging(builder.Configuration);
        services.AddEventSubscription<PoolSnapshot, PoolSnapshotHandler>(SuiteTopics.PodState);
        services.AddSingleton<CatalogStore>();
        services.AddEventSubscription<CatalogSnapshot, CatalogSnapshotHandler>(SuiteTopics.Catalog);
        services.AddHostedService<SnapshotBootstrap>();
        services.AddSingleton<PrefixCacheIndex>();
        services.AddSingleton<ProfileStore>();
        services.AddSingleton<ISchedulingProfileSource>(provider => provider.GetRequiredService<ProfileStore>());
        services.AddSingleton<InFlightLoad>();
        services.AddSingleton<ReplicaIdentity>();
        if (options.Prefix.ShareDecisions)
        {
            services.AddSingleton<RoutingDecisionOutbox>();
            services.AddHostedService<RoutingDecisionPublisher>();
            services.AddEventSubscription<RoutingDecisionBatch, RoutingDecisionHandler>(SuiteTopics.RoutingDecisions);
        }

        services.AddSingleton<Scheduler>();
        services.AddSingleton<PickerMetrics>();
        services.AddSingleton<ObjectiveMetrics>();
        services.AddSingleton<PoolGauges>();
        services.AddSingleton(provider => new BodyMemoryBudget(provider.GetRequiredService<IOptions<PickerOptions>>().Value.MaxBufferedBodyBytes));
        services.AddSingleton<RequestBodyGauges>();
        AddTelemetry(builder);
        services.AddAdmission();
        services.AddSingleton<ExchangeServices>();
        return builder;
    }

    public static WebApplication MapPicker(this WebApplication app)
    {
        app.MapGrpcService<ExternalProcessorService>();
        app.MapGrpcHealthChecksService();
        // Read unvalidated here: validation runs in RunPickerAsync, which turns a bad setting into exit code 2.
        var options = app.Configuration.GetSection(PickerOptions.Section).Get<PickerOptions>() ?? new PickerOptions();
        app.MapEventSubscriptions($"*:{options.HttpPort}");
        app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{options.HttpPort}");
        // Instruments exist once their owners do: create them now, so the first scrape has the gauges.
        app.Services.GetRequiredService<PoolGauges>();
        app.Services.GetRequiredService<RequestBodyGauges>();
        app.Services.GetRequiredService<ObjectiveMetrics>();
        return app;
    }

    /// <summary>
    /// Metrics for Prometheus on the HTTP port; traces to OTLP only when an endpoint is configured
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, read by the exporter), so an untraced picker pays nothing for spans.
    /// </summary>
    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(PickerMetrics.MeterName, MessagingMetrics.MeterName)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing.AddSource(PickerTracing.SourceName).AddOtlpExporter());
        }
    }
}
