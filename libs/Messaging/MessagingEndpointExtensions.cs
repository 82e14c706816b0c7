using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Contracts.Serialization;
using Suite.Messaging.InMemory;

namespace Suite.Messaging;

public static partial class MessagingEndpointExtensions
{
    /// <summary>
    /// Connects every <see cref="EventSubscription"/> to the bus. Dapr: CloudEvents unwrapping,
    /// <c>GET /dapr/subscribe</c> and one POST route per topic, on the ports in <paramref name="hosts"/> (e.g.
    /// <c>*:9090</c>; all ports when empty). In memory: the handlers subscribe to the shared bus directly.
    /// Above this line both paths call the same <see cref="ITopicHandler{T}"/>.
    /// </summary>
    public static WebApplication MapEventSubscriptions(this WebApplication app, params string[] hosts)
    {
        var subscriptions = app.Services.GetServices<EventSubscription>().ToArray();
        var options = app.Services.GetRequiredService<IOptions<MessagingOptions>>().Value;
        if (options.Mode == MessagingMode.InMemory)
        {
            var bus = app.Services.GetRequiredService<InMemoryBus>();
            foreach (var subscription in subscriptions)
            {
                var registration = subscription.SubscribeTo(bus, app.Services);
                app.Lifetime.ApplicationStopping.Register(registration.Dispose);
            }

            return app;
        }

        app.UseCloudEvents();
        var sidecarOnly = MessagingServiceCollectionExtensions.AppApiToken(app.Configuration) is not null;
        var subscribe = app.MapSubscribeHandler();
        if (hosts.Length > 0)
        {
            subscribe.RequireHost(hosts);
        }

        if (sidecarOnly)
        {
            subscribe.RequireAuthorization(MessagingOptions.SidecarPolicy);
        }

        foreach (var subscription in subscriptions)
        {
            var route = app.MapPost(subscription.Route, (HttpContext http) => DeliverAsync(http, subscription))
                .WithTopic(options.PubSubName, subscription.Topic);
            if (hosts.Length > 0)
            {
                route.RequireHost(hosts);
            }

            if (sidecarOnly)
            {
                route.RequireAuthorization(MessagingOptions.SidecarPolicy);
            }
        }

        return app;
    }

    /// <summary>One delivery from the sidecar; the body is the CloudEvent's <c>data</c> once UseCloudEvents unwrapped it.</summary>
    private static async Task DeliverAsync(HttpContext http, EventSubscription subscription)
    {
        DeliveryResult result;
        try
        {
            result = await subscription.DeliverJsonAsync(http.RequestServices, http.Request.Body, http.RequestAborted);
            if (result == DeliveryResult.Drop)
            {
                http.RequestServices.GetService<MessagingMetrics>()?.Dropped(subscription.Topic, "rejected");
            }
        }
        catch (JsonException e)
        {
            // Redelivering the same bytes cannot help: drop, and say why.
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MessagingEndpointExtensions));
            LogUnreadable(logger, subscription.Topic, e.Message);
            http.RequestServices.GetService<MessagingMetrics>()?.Dropped(subscription.Topic, "unreadable");
            result = DeliveryResult.Drop;
        }

        // Dapr reads the outcome from the body of a 200; a non-2xx would make it retry even a DROP.
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(StatusBody(result), http.RequestAborted);
    }

    internal static string StatusBody(DeliveryResult result) => result switch
    {
        DeliveryResult.Success => """{"status":"SUCCESS"}""",
        DeliveryResult.Retry => """{"status":"RETRY"}""",
        _ => """{"status":"DROP"}""",
    };

    [LoggerMessage(1, LogLevel.Error, "Dropped an event on {Topic} whose data could not be read: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string topic, string problem);
}
