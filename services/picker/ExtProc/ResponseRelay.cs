using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Suite.Picker.Usage;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Picker.ExtProc;

/// <summary>
/// The response half of an exchange: passes the model server's response back through the gateway and reads
/// its token usage. Server-sent events go back chunk by chunk as they come; a JSON response is buffered whole
/// (up to the body limit) before it is returned. In modes other than FULL_DUPLEX_STREAMED the gateway keeps
/// the body, so each message is simply acknowledged. A JSON response held counts against the same budget as request
/// bodies (<c>Picker:MaxBufferedBodyBytes</c>); one that does not fit goes back as it comes, without its usage.
/// </summary>
internal sealed class ResponseRelay(BodySendMode mode, int maxBufferedBytes, BodyMemoryBudget? budget) : IDisposable
{
    private readonly BodyBuffer _json = new(budget);
    private SseUsageScanner? _sse;
    private TokenUsage? _jsonUsage;
    private bool _jsonTooLarge;

    public TokenUsage? Usage => _sse?.Usage ?? _jsonUsage;

    /// <summary>SSE when the response says <c>text/event-stream</c> or the request asked for a stream.</summary>
    public void OnHeaders(string? contentType, bool streamRequested)
    {
        var isSse = streamRequested
            || (contentType is not null && contentType.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase));
        if (isSse)
        {
            _sse ??= new SseUsageScanner();
        }
    }

    public async ValueTask OnBodyAsync(
        HttpBody body, IAsyncStreamWriter<ProcessingResponse> gateway, CancellationToken cancellationToken)
    {
        var fullDuplex = mode == BodySendMode.FullDuplexStreamed;
        if (_sse is not null)
        {
            _sse.Append(body.Body.Span);
            await gateway.WriteAsync(
                fullDuplex
                    ? ProcessingResponses.StreamedResponseBody(body.Body, body.EndOfStream)
                    : ProcessingResponses.ContinueResponseBody(),
                cancellationToken);
            return;
        }

        if (!fullDuplex)
        {
            Collect(body);
            await gateway.WriteAsync(ProcessingResponses.ContinueResponseBody(), cancellationToken);
            return;
        }

        if (!_jsonTooLarge && !TryHold(body))
        {
            // Too large to hold, or the budget is full: return what is held and pass the rest straight through, without usage.
            _jsonTooLarge = true;
            await FlushAsync(gateway, endOfStream: false, cancellationToken);
        }

        if (_jsonTooLarge)
        {
            await gateway.WriteAsync(ProcessingResponses.StreamedResponseBody(body.Body, body.EndOfStream), cancellationToken);
            return;
        }

        if (body.EndOfStream)
        {
            ReadJsonUsage();
            await FlushAsync(gateway, endOfStream: true, cancellationToken);
        }
    }

    /// <summary>Trailers end the body: anything still held goes back first.</summary>
    public async ValueTask OnTrailersAsync(IAsyncStreamWriter<ProcessingResponse> gateway, CancellationToken cancellationToken)
    {
        if (mode == BodySendMode.FullDuplexStreamed && _sse is null && !_jsonTooLarge && _json.Length > 0)
        {
            ReadJsonUsage();
            await FlushAsync(gateway, endOfStream: false, cancellationToken);
        }

        await gateway.WriteAsync(ProcessingResponses.ResponseTrailers(), cancellationToken);
    }

    public void Dispose()
    {
        _json.Dispose();
        _sse?.Dispose();
    }

    /// <summary>The gateway keeps the body (modes other than FULL_DUPLEX_STREAMED): a copy is held only to read the usage.</summary>
    private void Collect(HttpBody body)
    {
        if (_jsonTooLarge)
        {
            return;
        }

        if (!TryHold(body))
        {
            _jsonTooLarge = true;
            _json.Clear();
            return;
        }

        if (body.EndOfStream)
        {
            ReadJsonUsage();
        }
    }

    /// <summary>Holds the chunk unless that would pass the body limit or the budget.</summary>
    private bool TryHold(HttpBody body) =>
        _json.Length + body.Body.Length <= maxBufferedBytes && _json.TryAppend(body.Body);

    private void ReadJsonUsage()
    {
        if (UsageJson.TryRead(_json.Memory.Span, out var usage))
        {
            _jsonUsage = usage;
        }
    }

    private async ValueTask FlushAsync(
        IAsyncStreamWriter<ProcessingResponse> gateway, bool endOfStream, CancellationToken cancellationToken)
    {
        if (_json.Length > 0 || endOfStream)
        {
            await ChunkWriter.WriteAsync(gateway, _json.Memory, endOfStream, ProcessingResponses.StreamedResponseBody, cancellationToken);
        }

        _json.Clear();
    }
}
