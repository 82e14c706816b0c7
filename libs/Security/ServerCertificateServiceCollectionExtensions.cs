using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Suite.Security;

public static class ServerCertificateServiceCollectionExtensions
{
    /// <summary>
    /// Registers the port's certificate, loaded by the time the host has started (Kestrel asks for it only at the
    /// first handshake), so reloads compare against the files as they were at start.
    /// </summary>
    public static IServiceCollection AddServerCertificate<TCertificate>(this IServiceCollection services, Func<IServiceProvider, TCertificate> create)
        where TCertificate : ReloadingServerCertificate
    {
        services.AddSingleton(create);
        services.AddHostedService<LoadedAtStart<TCertificate>>();
        return services;
    }

    private sealed class LoadedAtStart<TCertificate>(IServiceProvider services) : IHostedService
        where TCertificate : ReloadingServerCertificate
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<TCertificate>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
