using System.Buffers;
using BenchmarkDotNet.Attributes;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Suite.Bench;
using Suite.Picker.ExtProc;

namespace Suite.Picker.Benchmarks;

/// <summary>
/// The protobuf work around a decision that the scheduler and scanner benchmarks leave out: reading the gateway's
/// request_body message (as grpc-dotnet does, from a byte sequence) and writing the picker's answer — the routed
/// request-headers response and the body streamed back in chunks of at most 64 KiB.
/// </summary>
public class ExtProcMessageBenchmarks
{
    private const string Destination = "10.0.0.17:8000";

    private ReadOnlySequence<byte> _requestBodyMessage;
    private ReadOnlyMemory<byte> _body;
    private byte[] _output = [];

    [Params(1_000, 220_000)]
    public int PromptBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = ChatRequestBodies.Create(PromptBytes);
        var message = new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFrom(_body.Span), EndOfStream = true } };
        _requestBodyMessage = new ReadOnlySequence<byte>(message.ToByteArray());
        _output = new byte[_body.Length + 4096];
    }

    [Benchmark]
    public ProcessingRequest ParseRequestBody() => ProcessingRequest.Parser.ParseFrom(_requestBodyMessage);

    [Benchmark]
    public int WriteRoutedAnswer()
    {
        var mutation = new HeaderMutation { SetHeaders = { ProcessingResponses.Overwrite(GatewayHeaders.DestinationEndpoint, Destination) } };
        var written = Write(ProcessingResponses.RoutedRequestHeaders(mutation, Destination));
        for (var offset = 0; offset < _body.Length; offset += ProcessingResponses.MaxChunkBytes)
        {
            var length = Math.Min(ProcessingResponses.MaxChunkBytes, _body.Length - offset);
            var chunk = UnsafeByteOperations.UnsafeWrap(_body.Slice(offset, length));
            written += Write(ProcessingResponses.StreamedRequestBody(chunk, offset + length == _body.Length));
        }

        return written;
    }

    private int Write(ProcessingResponse response)
    {
        var size = response.CalculateSize();
        response.WriteTo(_output.AsSpan(0, size));
        return size;
    }
}
