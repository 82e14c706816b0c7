using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Suite.ModelSim.Load;

/// <summary>
/// Sends streaming completions and reads their server-sent events line by line, timing the first text chunk and the
/// <c>[DONE]</c> line. Also counts every text chunk received, across all requests, so a window's streamed tokens
/// include requests still running when it closes (the simulator sends one token per chunk).
/// </summary>
internal sealed class CompletionStreamer(HttpClient http)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private long _textChunks;

    public long TextChunks => Interlocked.Read(ref _textChunks);

    public async Task<CompletionOutcome> SendAsync(Uri completions, byte[] body, CancellationToken cancellation)
    {
        var sent = Stopwatch.GetTimestamp();
        long firstText = 0, done = 0;
        TokenUsage? usage = null;
        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, completions) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            if (!response.IsSuccessStatusCode)
            {
                return new CompletionOutcome(sent, 0, Stopwatch.GetTimestamp(), default, $"HTTP {(int)response.StatusCode}");
            }

            var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(cancellation));
            try
            {
                while (true)
                {
                    var read = await reader.ReadAsync(cancellation);
                    var buffer = read.Buffer;
                    while (TryReadLine(ref buffer, out var line))
                    {
                        if (done != 0 || !IsData(line, out var data))
                        {
                            continue;
                        }

                        if (data.Length == 6 && StartsWith(data, "[DONE]"u8))
                        {
                            done = Stopwatch.GetTimestamp();
                            continue;
                        }

                        var chunk = SseChunk.Parse(data);
                        if (chunk.HasText)
                        {
                            firstText = firstText == 0 ? Stopwatch.GetTimestamp() : firstText;
                            Interlocked.Increment(ref _textChunks);
                        }

                        usage = chunk.Usage ?? usage;
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);

                    // Read on to the end of the body after [DONE], so the connection goes back to the pool for the next request.
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync();
            }

            error = done == 0 ? "stream ended before [DONE]" : firstText == 0 ? "no text chunk" : usage is null ? "no usage chunk" : null;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            error = "cancelled";
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or OperationCanceledException)
        {
            error = e is HttpRequestException { HttpRequestError: var kind and not HttpRequestError.Unknown } ? kind.ToString() : e.GetType().Name;
        }

        return new CompletionOutcome(sent, firstText, done != 0 ? done : Stopwatch.GetTimestamp(), usage ?? default, error);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }

    /// <summary>The payload of a <c>data: </c> line, without a trailing carriage return.</summary>
    private static bool IsData(ReadOnlySequence<byte> line, out ReadOnlySequence<byte> data)
    {
        if (!StartsWith(line, "data: "u8))
        {
            data = default;
            return false;
        }

        data = line.Slice(6);
        if (data.Length > 0 && data.Slice(data.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            data = data.Slice(0, data.Length - 1);
        }

        return true;
    }

    private static bool StartsWith(ReadOnlySequence<byte> bytes, ReadOnlySpan<byte> prefix)
    {
        if (bytes.Length < prefix.Length)
        {
            return false;
        }

        if (bytes.FirstSpan.Length >= prefix.Length)
        {
            return bytes.FirstSpan.StartsWith(prefix);
        }

        // The line straddles two buffer segments.
        Span<byte> head = stackalloc byte[prefix.Length];
        bytes.Slice(0, prefix.Length).CopyTo(head);
        return head.SequenceEqual(prefix);
    }
}
