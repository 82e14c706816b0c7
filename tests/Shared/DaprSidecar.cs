using System.Net;
using System.Text;

namespace Suite.Tests.Shared;

/// <summary>
/// Plays the Dapr sidecar against an app's subscription routes: a CloudEvent 1.0 envelope as daprd POSTs it, with
/// the payload as JSON <c>data</c>. A redelivery keeps the event's id, as Dapr's does.
/// </summary>
internal sealed class DaprSidecar(HttpClient app)
{
    public const string Success = """{"status":"SUCCESS"}""";

    /// <summary>The body of the app's 200 answer (Dapr reads SUCCESS, RETRY or DROP from it); any other status fails.</summary>
    public async Task<string> DeliverAsync(string topic, string id, string data)
    {
        var cloudEvent = $$"""
            {"specversion":"1.0","id":"{{id}}","source":"suite","type":"com.dapr.event.sent",
             "datacontenttype":"application/json","topic":"{{topic}}","pubsubname":"pubsub","data":{{data}}}
            """;
        using var content = new StringContent(cloudEvent, Encoding.UTF8, "application/cloudevents+json");
        using var response = await app.PostAsync(new Uri($"/events/{topic}", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"POST /events/{topic} answered {(int)response.StatusCode}; the sidecar would retry it.");
        }

        return await response.Content.ReadAsStringAsync();
    }
}
