using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Suite.Host.Hosting;

namespace Suite.Host.Metrics;

/// <summary>
/// One Prometheus endpoint (<c>/metrics</c>) for every service in the process: a meter provider that listens to
/// every <c>Suite.*</c> meter, whichever service's meter factory created it. Meters of the same name are one
/// stream to it, so the pickers of all pools are summed (e.g. <c>picker_tokens_total</c> is the suite's total).
/// </summary>
internal static class MetricsEndpoint
{
    public const string MeterPattern = "Suite.*";
    public const string Path = "/metrics";

    public static Task<EmbeddedApp> StartAsync(string contentRoot, int port)
    {
        var builder = EmbeddedApp.CreateBuilder(contentRoot, new Dictionary<string, string?>());
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, port, listen => listen.Protocols = HttpProtocols.Http1));
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterPattern)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees the latest counts
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint(Path);
        return EmbeddedApp.StartAsync($"Prometheus metrics endpoint (port {port})", app);
    }
}
