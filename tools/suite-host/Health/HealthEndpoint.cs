using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Suite.Host.Hosting;

namespace Suite.Host.Health;

/// <summary>
/// The suite's gRPC health server (grpc.health.v1, h2c), with the service names the picker uses: <c>liveness</c>
/// is SERVING while the process runs; <c>readiness</c> and <c>""</c> are SERVING once every pool's picker is ready.
/// </summary>
internal static class HealthEndpoint
{
    public const string LivenessService = "liveness";
    public const string ReadinessService = "readiness";
    private const string LiveTag = "live";

    public static Task<EmbeddedApp> StartAsync(string contentRoot, int port, SuiteReadiness readiness)
    {
        var builder = EmbeddedApp.CreateBuilder(contentRoot, new Dictionary<string, string?>());
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(readiness);
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks(health =>
            {
                health.Services.Map(LivenessService, check => check.Tags.Contains(LiveTag));
                health.Services.Map(ReadinessService, check => check.Tags.Contains(SuiteReadiness.ReadyTag));
                health.Services.Map("", check => check.Tags.Contains(SuiteReadiness.ReadyTag));
            })
            .AddCheck("process", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<PickersReadyCheck>("pickers", tags: [SuiteReadiness.ReadyTag]);
        var app = builder.Build();
        app.MapGrpcHealthChecksService();
        return EmbeddedApp.StartAsync($"gRPC health server (port {port})", app);
    }

    private sealed class PickersReadyCheck(SuiteReadiness readiness) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var waiting = await readiness.WaitingPoolsAsync(cancellationToken);
            return waiting.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"no pool snapshot yet: {string.Join(", ", waiting)}");
        }
    }
}
