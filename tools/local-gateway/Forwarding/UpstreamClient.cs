using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Suite.LocalGateway.Hosting;
using Yarp.ReverseProxy.Forwarder;

namespace Suite.LocalGateway.Forwarding;

/// <summary>The connection pool to model servers, set up as YARP recommends for a proxy's outgoing client.</summary>
internal sealed class UpstreamClient(IOptions<GatewayOptions> options) : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = options.Value.ConnectTimeout,
    });

    public void Dispose() => Invoker.Dispose();
}
