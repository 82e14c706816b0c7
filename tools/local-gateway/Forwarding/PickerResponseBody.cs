using Envoy.Service.ExtProc.V3;
using Suite.LocalGateway.ExtProc;

namespace Suite.LocalGateway.Forwarding;

/// <summary>
/// The client's response body as YARP writes it, turned into ext_proc response-body messages: each chunk the model
/// server sends goes to the picker, and what the picker streams back goes to the client (FULL_DUPLEX_STREAMED).
/// </summary>
internal sealed class PickerResponseBody(Stream client, PickerCall call, CancellationToken aborted) : Stream
{
    private Task? _relay;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Starts passing the picker's answers to the client.</summary>
    public void Start() => _relay = RelayAsync();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!buffer.IsEmpty)
        {
            await call.SendAsync(ExtProcMessages.ResponseBody(buffer, endOfStream: false), cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <summary>The picker's chunks are flushed as they arrive; YARP's flushes have nothing to do here.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    /// <summary>Ends the body towards the picker and waits until everything it sends back has reached the client.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await call.SendAsync(ExtProcMessages.ResponseBody(ReadOnlyMemory<byte>.Empty, endOfStream: true), cancellationToken);
        await call.CompleteAsync();
        if (_relay is not null)
        {
            await _relay;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task RelayAsync()
    {
        while (await call.ReadUntimedAsync(aborted) is { } answer)
        {
            if (answer.ResponseCase != ProcessingResponse.ResponseOneofCase.ResponseBody)
            {
                continue; // trailers answers carry nothing the client needs here
            }

            var mutation = answer.ResponseBody.Response?.BodyMutation;
            if (mutation?.MutationCase == BodyMutation.MutationOneofCase.StreamedResponse)
            {
                var streamed = mutation.StreamedResponse;
                if (!streamed.Body.IsEmpty)
                {
                    await client.WriteAsync(streamed.Body.Memory, aborted);
                    await client.FlushAsync(aborted);
                }

                if (streamed.EndOfStream)
                {
                    return;
                }
            }
        }
    }
}
