using Envoy.Service.ExtProc.V3;
using Microsoft.AspNetCore.Http;
using Suite.LocalGateway.ExtProc;
using Yarp.ReverseProxy.Forwarder;

namespace Suite.LocalGateway.Forwarding;

/// <summary>
/// YARP's transform for one routed request: the request goes out as the picker left it; the response's status and
/// headers go to the picker (with the endpoint that served it) before the client sees them, and the body is
/// swapped for <see cref="PickerResponseBody"/> so it flows through the picker too.
/// </summary>
internal sealed class ResponsePhase(PickerCall call, CancellationToken aborted) : HttpTransformer
{
    /// <summary>The endpoint the current attempt goes to.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The picker's <c>x-picker-decision</c> on the response, if it set one.</summary>
    public string? Decision { get; private set; }

    /// <summary>The body relay, once the response headers have gone through the picker.</summary>
    public PickerResponseBody? Body { get; private set; }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return proceed;
        }

        var response = httpContext.Response;
        await call.SendAsync(ExtProcMessages.ResponseHeaders(response, Endpoint), cancellationToken);
        var answer = await call.ReadAsync(cancellationToken);
        if (answer?.ResponseCase == ProcessingResponse.ResponseOneofCase.ResponseHeaders
            && answer.ResponseHeaders.Response?.HeaderMutation is { } mutation)
        {
            HeaderMutations.Apply(mutation, response.Headers);
            Decision = response.Headers[GatewayNames.PickerDecision].ToString() is { Length: > 0 } decision ? decision : null;
        }

        // What the picker streams back may differ in length from what the model server sent.
        response.Headers.ContentLength = null;
        Body = new PickerResponseBody(response.Body, call, aborted);
        response.Body = Body;
        Body.Start();
        return proceed;
    }
}
