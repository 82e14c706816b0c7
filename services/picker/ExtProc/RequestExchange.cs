using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Suite.Contracts.Catalog;
using Suite.Picker.Admission;
using Suite.Picker.Catalog;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;
using Suite.Picker.RequestBody;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.InFlight;
using Suite.Picker.Scheduling.Prefix;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Picker.ExtProc;

/// <summary>
/// One HTTP request's ext_proc stream, message by message. The request headers are held until the body is in
/// (FULL_DUPLEX_STREAMED) or acknowledged at once (BUFFERED); then the request is scheduled and the answer
/// carries the destination. The response half is handed to <see cref="ResponseRelay"/>. Whatever way the
/// stream ends, <see cref="Dispose"/> releases the request's in-flight accounting and pooled buffers.
/// </summary>
internal sealed class RequestExchange(ExchangeServices services, IAsyncStreamWriter<ProcessingResponse> gateway) : IDisposable
{
    private enum Phase
    {
        RequestHeaders,
        RequestBody,
        Response,
        Finished,
    }

    private readonly BodyBuffer _requestBody = new(services.BodyBudget);
    private Phase _phase;
    private RequestHeaderValues _headers = RequestHeaderValues.Read(null);
    private string[]? _subset;
    private BodySendMode _requestMode;
    private ResponseRelay? _response;
    private bool _requestIdGenerated;
    private bool _streamRequested;
    private string? _decisionHeader;
    private DispatchLease? _lease;
    private BodyDeadline? _bodyDeadline;

    // Per-request figures for the reference metrics and the request's span.
    private long _startedAt;
    private string _requestedModel = "";
    private bool _counted;
    private bool _running;
    private long _responseBytes;
    private Activity? _activity;

    // Until the request is routed: no model, Standard criticality, the default priority and flow.
    private RequestClassification _classification = new(
        null, Criticality.Standard, Known: true, RequestClassification.DefaultPriority, Objective: null, ObjectiveKnown: false,
        GatewayHeaders.DefaultFairnessId);

    public string? RequestId { get; private set; }

    /// <summary>The model name the model server gets, after the catalog; null when the request names none.</summary>
    public string? TargetModel => _classification.TargetModel;

    /// <summary>False when the held catalog claims neither the requested model name nor every name (catch-all).</summary>
    public bool ModelKnown => _classification.Known;

    /// <summary>The resolved model's criticality (Standard until resolved), for flow control.</summary>
    public Criticality Criticality => _classification.Criticality;

    /// <summary>The priority of the request's inference objective; 0 when it names none the catalog knows.</summary>
    public int Priority => _classification.Priority;

    /// <summary>The inference objective the request named, whether or not the catalog knows it.</summary>
    public string? Objective => _classification.Objective;

    /// <summary>The flow the request is accounted to (<c>default-flow</c> unless the gateway names one).</summary>
    public string FairnessId => _classification.FairnessId;

    /// <summary>Whether the stream ended before the response did (gateway reset, client gone).</summary>
    public bool Abandoned => _phase != Phase.Finished && _lease is not null;

    /// <summary>Handles one message; false means the exchange is over (the picker answered the request itself).</summary>
    public ValueTask<bool> HandleAsync(ProcessingRequest message, CancellationToken cancellationToken) => message.RequestCase switch
    {
        ProcessingRequest.RequestOneofCase.RequestHeaders => OnRequestHeadersAsync(message, cancellationToken),
        ProcessingRequest.RequestOneofCase.RequestBody => OnRequestBodyAsync(message.RequestBody, cancellationToken),
        ProcessingRequest.RequestOneofCase.RequestTrailers => OnRequestTrailersAsync(cancellationToken),
        ProcessingRequest.RequestOneofCase.ResponseHeaders => OnResponseHeadersAsync(message, cancellationToken),
        ProcessingRequest.RequestOneofCase.ResponseBody => OnResponseBodyAsync(message.ResponseBody, cancellationToken),
        ProcessingRequest.RequestOneofCase.ResponseTrailers => OnResponseTrailersAsync(cancellationToken),
        _ => RejectAsync(Rejection.Internal("The gateway sent an ext_proc message of an unknown kind."), cancellationToken),
    };

    /// <summary>
    /// The token for the next read of the stream: while the body is awaited, the body deadline's (which the call's
    /// reset cancels too); otherwise the call's, so nothing interrupts a routed request's response.
    /// </summary>
    public CancellationToken ReadToken(CancellationToken call) =>
        _phase == Phase.RequestBody && _bodyDeadline is { } deadline ? deadline.Token : call;

    /// <summary>Whether a cancelled read means the body deadline passed, not that the call ended.</summary>
    public bool BodyTimedOut(CancellationToken call) =>
        _phase == Phase.RequestBody && _bodyDeadline is { } deadline && deadline.Expired(call);

    /// <summary>Answers 408 for a body that did not arrive in time, releasing what was buffered of it.</summary>
    public async ValueTask AnswerBodyTimeoutAsync(CancellationToken cancellationToken) =>
        await RejectAsync(Rejection.BodyTimedOut(_bodyDeadline!.Timeout), cancellationToken);

    /// <summary>Whether the request still waits for the picker's answer: neither routed nor refused yet.</summary>
    public bool Unanswered => _phase is Phase.RequestHeaders or Phase.RequestBody;

    /// <summary>
    /// Answers a message gRPC refused for being over <see cref="MessageLimit"/>: 431 when it was the request headers,
    /// 413 when it came after them (a body chunk).
    /// </summary>
    public async ValueTask AnswerOversizedMessageAsync(CancellationToken cancellationToken)
    {
        var options = services.Options.Value;
        var rejection = _phase == Phase.RequestHeaders
            ? Rejection.HeadersTooLarge(MessageLimit.Bytes(options))
            : Rejection.TooLarge(options.MaxRequestBodyBytes);
        await RejectAsync(rejection, cancellationToken);
    }

    /// <summary>Answers 500 when the picker itself failed, if the request has not been answered yet.</summary>
    public async ValueTask TryAnswerInternalErrorAsync(CancellationToken cancellationToken)
    {
        if (Unanswered)
        {
            await RejectAsync(Rejection.Internal("The endpoint picker failed while handling this request."), cancellationToken);
        }
    }

    public void Dispose()
    {
        StopRunning();
        _activity?.Dispose();
        _lease?.Release();
        _bodyDeadline?.Dispose();
        _requestBody.Dispose();
        _response?.Dispose();
    }

    private async ValueTask<bool> OnRequestHeadersAsync(ProcessingRequest message, CancellationToken cancellationToken)
    {
        if (_phase != Phase.RequestHeaders)
        {
            return await RejectAsync(Rejection.Internal("The gateway sent request headers twice."), cancellationToken);
        }

        var options = services.Options.Value;
        _startedAt = Stopwatch.GetTimestamp();
        _headers = RequestHeaderValues.Read(message.RequestHeaders.Headers);
        _activity = PickerTracing.StartRequest(_headers.TraceParent, _headers.TraceState);
        RequestId = _headers.RequestId;
        if (RequestId is null)
        {
            RequestId = Guid.NewGuid().ToString("N");
            _requestIdGenerated = true;
        }

        _activity?.SetTag(PickerTracing.RequestIdTag, RequestId);

        _subset = RequestHeaderValues.ReadSubset(message.MetadataContext);
        var announced = message.ProtocolConfig;
        _requestMode = announced?.RequestBodyMode ?? options.RequestBodyMode;
        _response = new ResponseRelay(announced?.ResponseBodyMode ?? options.ResponseBodyMode, options.MaxRequestBodyBytes, services.BodyBudget);

        if (message.RequestHeaders.EndOfStream || _requestMode == BodySendMode.None)
        {
            return await RouteAsync(hasBody: false, bodyEndedByTrailers: false, cancellationToken);
        }

        if (_requestMode is not (BodySendMode.FullDuplexStreamed or BodySendMode.Buffered))
        {
            return await RejectAsync(
                Rejection.Internal($"Request body mode {_requestMode} is not supported; configure FULL_DUPLEX_STREAMED or BUFFERED."),
                cancellationToken);
        }

        // Without it, a body that stops arriving would hold the stream and its buffer until the gateway resets it.
        _bodyDeadline = new BodyDeadline(options.RequestBodyTimeout, services.Time ?? TimeProvider.System, cancellationToken);
        _phase = Phase.RequestBody;
        if (_requestMode == BodySendMode.Buffered)
        {
            // The gateway waits for this answer before it sends the body; the routing rides on the body answer.
            await gateway.WriteAsync(ProcessingResponses.ContinueRequestHeaders(), cancellationToken);
        }

        return true;
    }

    private async ValueTask<bool> OnRequestBodyAsync(HttpBody body, CancellationToken cancellationToken)
    {
        if (_phase != Phase.RequestBody)
        {
            return await RejectAsync(Rejection.Internal("The gateway sent a request body out of order."), cancellationToken);
        }

        var limit = services.Options.Value.MaxRequestBodyBytes;
        if (_requestBody.Length + body.Body.Length > limit)
        {
            return await RejectAsync(Rejection.TooLarge(limit), cancellationToken);
        }

        // 413 first: a body over the limit is the client's error for good, a full budget only for now.
        if (!_requestBody.TryAppend(body.Body))
        {
            return await RejectAsync(Rejection.BodyBudgetFull(services.BodyBudget!.Limit), cancellationToken);
        }

        // A BUFFERED gateway sends the body in one message.
        return body.EndOfStream || _requestMode == BodySendMode.Buffered
            ? await RouteAsync(hasBody: true, bodyEndedByTrailers: false, cancellationToken)
            : true;
    }

    private async ValueTask<bool> OnRequestTrailersAsync(CancellationToken cancellationToken)
    {
        if (_phase == Phase.RequestBody && !await RouteAsync(hasBody: true, bodyEndedByTrailers: true, cancellationToken))
        {
            return false;
        }

        await gateway.WriteAsync(ProcessingResponses.RequestTrailers(), cancellationToken);
        return true;
    }

    private async ValueTask<bool> RouteAsync(bool hasBody, bool bodyEndedByTrailers, CancellationToken cancellationToken)
    {
        // The body is in: from here on (queue, scheduling, a response that streams for minutes) no deadline applies.
        _bodyDeadline?.Dispose();
        _bodyDeadline = null;
        if (services.Freshness is { } freshness && freshness.ExpiredAge() is { } age)
        {
            _phase = Phase.Finished;
            services.Metrics.Declined();
            throw new PoolDataExpiredException(freshness.Describe(age));
        }

        var body = _requestBody.Memory;
        var model = _headers.ModelNameRewrite;
        byte[]? spliced = null;
        BodyScan? scan = null;
        if (hasBody && !body.IsEmpty && _headers.BodyIsJson)
        {
            scan = RequestBodyScanner.Scan(body.Span, ApiShapes.FromPath(_headers.Path));
            if (!scan.Value.IsValid)
            {
                return await RejectAsync(Rejection.BadRequest(scan.Value.Error!), cancellationToken);
            }

            _streamRequested = scan.Value.Stream;
            model ??= scan.Value.Model;
        }

        // The requested name (the rewrite header wins over the body) → the catalog's target; the objective → a priority.
        using (PickerTracing.StartStep(_activity, "resolve"))
        {
            _classification = RequestClassification.Classify(
                model, _headers.InferenceObjective, _headers.FairnessId, services.Catalog.Current, services.Random);
        }

        _requestedModel = model ?? "";
        CountRequest(body.Length);
        if (_classification is { ObjectiveKnown: false, Objective: { } unknownObjective })
        {
            ExtProcLog.UnknownObjective(services.Logger, RequestId!, unknownObjective);
        }

        if (model is not null && !_classification.Known && services.Options.Value.UnknownModels == UnknownModelPolicy.Reject)
        {
            return await RejectAsync(Rejection.UnknownModel(model), cancellationToken);
        }

        model = _classification.TargetModel;

        // Before the splice, so a request waiting in the queue holds no rented buffer.
        if (services.Admission is { } admission)
        {
            AdmissionOutcome outcome;
            using (PickerTracing.StartStep(_activity, "admit"))
            {
                outcome = await admission.AdmitAsync(new AdmissionRequest(RequestId!, _classification, body.Length), cancellationToken);
            }

            if (Rejection.For(outcome) is { } turnedAway)
            {
                return await RejectAsync(turnedAway, cancellationToken);
            }
        }

        if (scan is { } scanned && model is not null && !string.Equals(model, scanned.Model, StringComparison.Ordinal))
        {
            (spliced, var length) = ModelNameSplice.Apply(body.Span, scanned.ModelToken, model);
            body = spliced.AsMemory(0, length);
        }

        ulong[]? prefixHashes = null;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var profile = services.Profiles.Current;
            var explain = profile.ExplainHeader || services.Logger.IsEnabled(LogLevel.Debug);
            var hashCount = 0;
            if (profile.Prefix is { } prefix && scan is { } prompt)
            {
                // The body as sent: the scan's ranges point into it, not into a spliced copy.
                var text = prompt.Prompt.IsEmpty ? prompt.Messages : prompt.Prompt;
                var settings = prefix.Settings;
                prefixHashes = ArrayPool<ulong>.Shared.Rent(settings.MaxBlocks);
                hashCount = PrefixHashes.Compute(
                    model,
                    _requestBody.Memory.Span.Slice(text.Start, text.Length),
                    settings.BlockBytes,
                    prefixHashes.AsSpan(0, settings.MaxBlocks));
            }

            PickResult pick;
            using (var schedule = PickerTracing.StartStep(_activity, "schedule"))
            {
                pick = services.Scheduler.Pick(new SchedulingRequest(
                    model, _subset, explain, prefixHashes is null ? default : prefixHashes.AsMemory(0, hashCount)));
                schedule?.SetTag("picker.destination", pick.Destination);
            }

            if (prefixHashes is not null)
            {
                // The pick has recorded and queued the hashes; return the buffer before any await.
                ArrayPool<ulong>.Shared.Return(prefixHashes);
                prefixHashes = null;
            }

            if (!pick.Succeeded)
            {
                return await RejectAsync(Rejection.For(pick.Failure), cancellationToken);
            }

            _lease = services.InFlight.Dispatch(services.InFlight.ForAddress(pick.Primary!.Address));
            _decisionHeader = profile.ExplainHeader ? pick.Explanation : null;
            var scheduling = Stopwatch.GetElapsedTime(started).TotalSeconds;
            services.Metrics.Routed(scheduling, profile.Picker.Name);
            if (services.Objectives is { } objectives)
            {
                objectives.Scheduled(scheduling);
                objectives.Started(_requestedModel);
                _running = true;
            }

            ExtProcLog.Routed(
                services.Logger, RequestId!, model, Priority, FairnessId, pick.Destination!, pick.Explanation);

            var mutation = RequestMutation(pick.Destination!, spliced is null ? null : body.Length);
            if (hasBody && _requestMode == BodySendMode.Buffered)
            {
                var newBody = spliced is null ? null : Google.Protobuf.UnsafeByteOperations.UnsafeWrap(body);
                await gateway.WriteAsync(ProcessingResponses.RoutedRequestBody(mutation, pick.Destination!, newBody), cancellationToken);
            }
            else
            {
                await gateway.WriteAsync(ProcessingResponses.RoutedRequestHeaders(mutation, pick.Destination!), cancellationToken);
                if (hasBody)
                {
                    await ChunkWriter.WriteAsync(
                        gateway, body, !bodyEndedByTrailers, ProcessingResponses.StreamedRequestBody, cancellationToken);
                }
            }
        }
        finally
        {
            if (spliced is not null)
            {
                ModelNameSplice.Return(spliced);
            }

            if (prefixHashes is not null)
            {
                ArrayPool<ulong>.Shared.Return(prefixHashes);
            }

            _requestBody.Clear();
        }

        _phase = Phase.Response;
        return true;
    }

    private HeaderMutation RequestMutation(string destination, int? newContentLength)
    {
        var mutation = new HeaderMutation
        {
            SetHeaders = { ProcessingResponses.Overwrite(GatewayHeaders.DestinationEndpoint, destination) },
        };
        if (newContentLength is { } length)
        {
            mutation.SetHeaders.Add(ProcessingResponses.Overwrite(
                GatewayHeaders.ContentLength, length.ToString(CultureInfo.InvariantCulture)));
        }

        if (_requestIdGenerated)
        {
            mutation.SetHeaders.Add(ProcessingResponses.Overwrite(GatewayHeaders.RequestId, RequestId!));
        }

        if (_headers.ToRemove is { } consumed)
        {
            mutation.RemoveHeaders.Add(consumed);
        }

        return mutation;
    }

    private async ValueTask<bool> OnResponseHeadersAsync(ProcessingRequest message, CancellationToken cancellationToken)
    {
        var served = RequestHeaderValues.ReadServedEndpoint(message.MetadataContext);
        if (served is not null && _lease is not null && !string.Equals(served, _lease.Address, StringComparison.Ordinal))
        {
            // The gateway fell back to another endpoint: account the request where it really runs.
            _lease.Release();
            _lease = services.InFlight.Dispatch(services.InFlight.ForAddress(served));
        }

        var headers = message.ResponseHeaders;
        _response?.OnHeaders(HeaderOf(headers.Headers, GatewayHeaders.ContentType), _streamRequested);
        if (int.TryParse(HeaderOf(headers.Headers, GatewayHeaders.Status), CultureInfo.InvariantCulture, out var status) && status >= 400)
        {
            services.Objectives?.Failed(_requestedModel, TargetModel ?? "", ErrorCodes.ModelServerError);
        }

        var mutation = _decisionHeader is null
            ? null
            : new HeaderMutation { SetHeaders = { ProcessingResponses.Overwrite(GatewayHeaders.PickerDecision, _decisionHeader) } };
        await gateway.WriteAsync(ProcessingResponses.ContinueResponseHeaders(mutation), cancellationToken);
        if (headers.EndOfStream)
        {
            Finish();
        }

        return true;
    }

    private async ValueTask<bool> OnResponseBodyAsync(HttpBody body, CancellationToken cancellationToken)
    {
        _responseBytes += body.Body.Length;
        _response ??= new ResponseRelay(services.Options.Value.ResponseBodyMode, services.Options.Value.MaxRequestBodyBytes, services.BodyBudget);
        await _response.OnBodyAsync(body, gateway, cancellationToken);
        if (body.EndOfStream)
        {
            Finish();
        }

        return true;
    }

    private async ValueTask<bool> OnResponseTrailersAsync(CancellationToken cancellationToken)
    {
        if (_response is null)
        {
            await gateway.WriteAsync(ProcessingResponses.ResponseTrailers(), cancellationToken);
        }
        else
        {
            await _response.OnTrailersAsync(gateway, cancellationToken);
        }

        Finish();
        return true;
    }

    private void Finish()
    {
        if (_phase == Phase.Finished)
        {
            return;
        }

        _phase = Phase.Finished;
        var usage = _response?.Usage;
        if (usage is { } reported)
        {
            services.Metrics.Usage(reported);
        }

        services.Objectives?.Completed(
            _requestedModel, TargetModel ?? "", Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, _responseBytes, usage);
        StopRunning();
        _activity?.Dispose();
        _activity = null;

        if (_lease is { } lease)
        {
            ExtProcLog.Served(services.Logger, RequestId ?? "", lease.Address, usage);
            lease.Release();
        }
    }

    private async ValueTask<bool> RejectAsync(Rejection rejection, CancellationToken cancellationToken)
    {
        _phase = Phase.Finished;
        RequestId ??= Guid.NewGuid().ToString("N");
        services.Metrics.Rejected((int)rejection.Status);
        CountRequest(_requestBody.Length);
        _requestBody.Clear();
        services.Objectives?.Failed(_requestedModel, TargetModel ?? "", ErrorCodes.Of(rejection.Status));
        _activity?.SetStatus(ActivityStatusCode.Error, rejection.Details);
        _activity?.Dispose();
        _activity = null;
        ExtProcLog.Rejected(services.Logger, rejection.LogLevel, RequestId, (int)rejection.Status, rejection.Message);
        await gateway.WriteAsync(ImmediateResponses.From(rejection, RequestId), cancellationToken);
        return false;
    }

    /// <summary>Counted once, when the model is known or the request is turned away before that.</summary>
    private void CountRequest(int bodyBytes)
    {
        if (!_counted)
        {
            _counted = true;
            services.Objectives?.Requested(_requestedModel, TargetModel ?? "", bodyBytes);
        }
    }

    private void StopRunning()
    {
        if (_running)
        {
            _running = false;
            services.Objectives?.Stopped(_requestedModel);
        }
    }

    private static string? HeaderOf(HeaderMap? headers, string name)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var header in headers.Headers)
        {
            if (header.Key == name)
            {
                return header.RawValue.IsEmpty ? header.Value : header.RawValue.ToStringUtf8();
            }
        }

        return null;
    }
}
