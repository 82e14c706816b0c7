using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.LocalGateway.ExtProc;
using Suite.LocalGateway.Hosting;
using Suite.LocalGateway.Observation;
using Suite.LocalGateway.RequestBody;
using Suite.LocalGateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Suite.LocalGateway.Forwarding;

/// <summary>
/// One client request through the gateway, the way Envoy with the ext_proc filter and ORIGINAL_DST routing handles
/// it: route by model to a pool, ask the pool's picker, honour its ImmediateResponse or apply its header and body
/// mutations, proxy with YARP to the endpoint it named (the next one when a connection fails), and stream the
/// response back through the picker. A picker that cannot be reached is handled by the pool's failure mode.
/// </summary>
internal sealed partial class ExtProcForwarder(
    IOptions<GatewayOptions> options,
    IModelRouter router,
    IPoolEndpoints poolEndpoints,
    IEnumerable<IGatewayObserver> observers,
    PickerChannels pickers,
    UpstreamClient upstream,
    IHttpForwarder forwarder,
    ILogger<ExtProcForwarder> logger)
{
    private readonly GatewayOptions _options = options.Value;
    private readonly IGatewayObserver[] _observers = [.. observers];
    private readonly ForwarderRequestConfig _requestConfig = new() { ActivityTimeout = options.Value.UpstreamIdleTimeout };
    private long _failOpenTurn;

    public async Task ForwardAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        foreach (var owned in GatewayNames.GatewayOwned)
        {
            request.Headers.Remove(owned); // a client does not get to choose its pod
        }

        if (string.IsNullOrEmpty(request.Headers[GatewayNames.RequestId]))
        {
            request.Headers[GatewayNames.RequestId] = Guid.NewGuid().ToString();
        }

        var body = await BoundedBody.ReadAsync(request, _options.MaxRequestBodyBytes, context.RequestAborted);
        var model = body is null ? null : ModelField.Read(body);
        var pool = PoolFor(model);
        var exchange = new ExchangeRecord(pool.Name, model, request.Headers[GatewayNames.InferenceObjective].ToString() is { Length: > 0 } objective ? objective : null);
        try
        {
            if (body is null)
            {
                await GatewayAnswers.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {_options.MaxRequestBodyBytes} bytes");
                exchange.Failed("request body too large");
            }
            else
            {
                await ForwardAsync(context, pool, body, exchange);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            exchange.Failed("client went away");
        }

        Report(context, exchange, started);
    }

    private async Task ForwardAsync(HttpContext context, GatewayPoolOptions pool, byte[] body, ExchangeRecord exchange)
    {
        var aborted = context.RequestAborted;
        using var call = new PickerCall(pickers.For(pool.Picker!).Process(cancellationToken: aborted), _options.MessageTimeout);
        RequestDecision decision;
        try
        {
            decision = await RequestPhase.RunAsync(call, context.Request, body, pool.EndpointSubset, aborted);
        }
        catch (Exception e) when (e is RpcException or PickerTimeoutException or IOException or InvalidOperationException && !aborted.IsCancellationRequested)
        {
            // IOException: the connection to the picker broke (an HTTP/2 reset, GOAWAY); InvalidOperationException:
            // writing to a call the picker already ended. Either way the picker did not decide.
            await call.TryCompleteAsync();
            await PickerUnavailableAsync(context, pool, body, exchange, e);
            return;
        }

        switch (decision)
        {
            case RequestDecision.Answered answered:
                await call.TryCompleteAsync(); // as Envoy does: the picker is done with this request
                exchange.AnsweredByPicker(answered.Response.Details);
                await GatewayAnswers.WriteImmediateAsync(context, answered.Response);
                return;

            case RequestDecision.Broken broken:
                LogPickerBroke(logger, pool.Name, broken.Problem);
                exchange.Failed(broken.Problem);
                await GatewayAnswers.WriteAsync(context, StatusCodes.Status500InternalServerError, $"endpoint picker error: {broken.Problem}");
                return;

            case RequestDecision.Routed routed:
                foreach (var mutation in routed.HeaderMutations)
                {
                    HeaderMutations.Apply(mutation, context.Request.Headers);
                }

                await ProxyAsync(context, routed.Destinations, routed.Body, new ResponsePhase(call, aborted), exchange);
                return;
        }
    }

    /// <summary>Proxies to each endpoint in turn until one accepts the connection; then the response streams through the picker.</summary>
    private async Task ProxyAsync(
        HttpContext context, IReadOnlyList<string> endpoints, ReadOnlyMemory<byte> body, ResponsePhase? responsePhase, ExchangeRecord exchange)
    {
        var clientBody = context.Response.Body;
        foreach (var endpoint in endpoints)
        {
            SetBody(context.Request, body);
            if (responsePhase is not null)
            {
                responsePhase.Endpoint = endpoint;
            }

            var error = await forwarder.SendAsync(
                context, $"http://{endpoint}", upstream.Invoker, _requestConfig, responsePhase ?? HttpTransformer.Default);
            if (error == ForwarderError.None)
            {
                exchange.Served(endpoint, responsePhase?.Decision);
                if (responsePhase?.Body is { } relay)
                {
                    await relay.CompleteAsync(context.RequestAborted);
                }

                context.Response.Body = clientBody;
                return;
            }

            context.Response.Body = clientBody;
            if (!context.Response.HasStarted && ConnectionFailed(context))
            {
                LogEndpointUnreachable(logger, endpoint);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Features.Set<IForwarderErrorFeature>(null);
                continue;
            }

            // The model server took the request and then failed: resending it could run it twice.
            exchange.Failed($"upstream {endpoint}: {error}", endpoint);
            return;
        }

        exchange.Failed($"no endpoint accepted a connection ({string.Join(", ", endpoints)})");
        await GatewayAnswers.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "no healthy upstream: every endpoint the picker named refused the connection");
    }

    private async Task PickerUnavailableAsync(HttpContext context, GatewayPoolOptions pool, byte[] body, ExchangeRecord exchange, Exception problem)
    {
        LogPickerUnavailable(logger, pool.Name, pool.FailureMode, problem.Message);
        if (pool.FailureMode == PickerFailureMode.FailOpen && poolEndpoints.EndpointsOf(pool.Name) is { Count: > 0 } endpoints)
        {
            // Envoy's failure_mode_allow: the request goes on without the picker, load-balanced over the pool.
            var first = (int)((ulong)Interlocked.Increment(ref _failOpenTurn) % (ulong)endpoints.Count);
            exchange.FailedOpen();
            await ProxyAsync(context, [.. endpoints.Skip(first), .. endpoints.Take(first)], body, responsePhase: null, exchange);
            return;
        }

        exchange.Failed($"endpoint picker unavailable: {problem.Message}");
        await GatewayAnswers.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"the endpoint picker of pool {pool.Name} is unavailable");
    }

    private GatewayPoolOptions PoolFor(string? model)
    {
        var name = router.PoolFor(model);
        GatewayPoolOptions? fallback = null;
        foreach (var pool in _options.Pools)
        {
            if (name is not null && string.Equals(pool.Name, name, StringComparison.Ordinal))
            {
                return pool;
            }

            if (pool.Default)
            {
                fallback = pool;
            }
        }

        return fallback ?? _options.Pools[0];
    }

    private static void SetBody(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        request.Headers.Remove("Transfer-Encoding");
        request.ContentLength = body.Length;
        request.Body = ReadOnlyBodyStream.Over(body);
    }

    private static bool ConnectionFailed(HttpContext context) =>
        context.Features.Get<IForwarderErrorFeature>() is { Error: ForwarderError.Request, Exception: var exception }
        && exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
            or TaskCanceledException { InnerException: TimeoutException };

    private void Report(HttpContext context, ExchangeRecord exchange, long started)
    {
        if (_observers.Length == 0)
        {
            return;
        }

        var completed = exchange.ToExchange(context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        foreach (var observer in _observers)
        {
            observer.Completed(completed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint picker of pool {Pool} unavailable ({FailureMode}): {Problem}")]
    private static partial void LogPickerUnavailable(ILogger logger, string pool, PickerFailureMode failureMode, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Endpoint picker of pool {Pool} broke the protocol: {Problem}")]
    private static partial void LogPickerBroke(ILogger logger, string pool, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {Endpoint} refused the connection; trying the next one")]
    private static partial void LogEndpointUnreachable(ILogger logger, string endpoint);
}
