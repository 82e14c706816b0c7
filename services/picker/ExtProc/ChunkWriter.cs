using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;

namespace Suite.Picker.ExtProc;

/// <summary>Sends a body back to the gateway as streamed chunks of at most 64 KiB, the last marked end-of-stream.</summary>
internal static class ChunkWriter
{
    /// <remarks>
    /// The chunks wrap <paramref name="body"/> without copying; it must stay untouched until this returns, by
    /// which time every message has been serialised.
    /// </remarks>
    public static async ValueTask WriteAsync(
        IAsyncStreamWriter<ProcessingResponse> gateway,
        ReadOnlyMemory<byte> body,
        bool endOfStream,
        Func<ByteString, bool, ProcessingResponse> toMessage,
        CancellationToken cancellationToken)
    {
        if (body.IsEmpty)
        {
            await gateway.WriteAsync(toMessage(ByteString.Empty, endOfStream), cancellationToken);
            return;
        }

        for (var offset = 0; offset < body.Length; offset += ProcessingResponses.MaxChunkBytes)
        {
            var length = Math.Min(ProcessingResponses.MaxChunkBytes, body.Length - offset);
            var last = offset + length == body.Length;
            var chunk = UnsafeByteOperations.UnsafeWrap(body.Slice(offset, length));
            await gateway.WriteAsync(toMessage(chunk, last && endOfStream), cancellationToken);
        }
    }
}
