using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Suite.LocalGateway.ExtProc;
using Suite.LocalGateway.Forwarding;
using Suite.LocalGateway.Routing;

namespace Suite.LocalGateway.Hosting;

/// <summary>
/// Adds the local gateway to an ASP.NET Core app: an HTTP front door that asks a pool's endpoint picker over ext_proc,
/// as Envoy does, and forwards with YARP's <c>IHttpForwarder</c>. Register your own <see cref="IModelRouter"/>,
/// <see cref="IPoolEndpoints"/> or <see cref="Observation.IGatewayObserver"/> before calling it to replace the defaults.
/// </summary>
public static class GatewayHostingExtensions
{
    public static WebApplicationBuilder AddLocalGateway(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Address), options.Port, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Limits.MaxRequestBodySize = null; // the gateway's own limit answers 413 with an OpenAI error body
        });
        builder.Services.AddLocalGateway();
        return builder;
    }

    /// <summary>The services alone, for an app that configures its own listeners.</summary>
    public static IServiceCollection AddLocalGateway(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddHttpForwarder();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelRouter, OptionsModelRouter>();
        services.TryAddSingleton<IPoolEndpoints, NoPoolEndpoints>();
        services.AddSingleton<PickerChannels>();
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton<ExtProcForwarder>();
        return services;
    }

    /// <summary>
    /// Requests matching <paramref name="pattern"/> (by default every path not mapped otherwise) go through the pickers
    /// to the model servers; the path and query go upstream unchanged.
    /// </summary>
    public static IEndpointConventionBuilder MapLocalGateway(this IEndpointRouteBuilder endpoints, string pattern = "/{**path}") =>
        endpoints.Map(pattern, context => context.RequestServices.GetRequiredService<ExtProcForwarder>().ForwardAsync(context));
}
