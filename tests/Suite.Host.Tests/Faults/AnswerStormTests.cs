using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;
using Google.Protobuf;
using static Suite.Host.Tests.Faults.FaultSuite;

namespace Suite.Host.Tests.Faults;

/// <summary>
/// Many requests the picker answers itself (here 400s; in production a storm of 429s) over one HTTP/2 connection to a
/// real Kestrel: each stream is answered. Without the picker waiting for the gateway to close its side, Kestrel
/// reset every such stream, and after about 1,200 of them refused new streams with ENHANCE_YOUR_CALM.
/// </summary>
[Collection(FaultInjectionRunsAlone.Name)]
public sealed class AnswerStormTests
{
    private const int Requests = 2000;

    private static readonly ByteString NotJson = ByteString.CopyFrom(Encoding.UTF8.GetBytes("{not json"));

    [Fact]
    public async Task TwoThousandImmediateAnswersOnOneConnection_TheGatewayResettingEachStream_AreAllAnswered()
    {
        await using var faults = await StartAsync(TimeSpan.FromSeconds(30));
        using var channel = GrpcChannel.ForAddress(faults.PoolNamed(Chat).Picker);
        var client = new ExternalProcessor.ExternalProcessorClient(channel);
        var answered = 0;
        var failures = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            using var call = client.Process(); // disposed with its request side open: a reset, the harshest close
            try
            {
                var headers = new HeaderMap();
                headers.Headers.Add(new HeaderValue { Key = ":path", RawValue = ByteString.CopyFromUtf8("/v1/chat/completions") });
                headers.Headers.Add(new HeaderValue { Key = "content-type", RawValue = ByteString.CopyFromUtf8("application/json") });
                await call.RequestStream.WriteAsync(new ProcessingRequest { RequestHeaders = new HttpHeaders { Headers = headers } });
                await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = NotJson, EndOfStream = true } });
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
                if (call.ResponseStream.Current.ImmediateResponse?.Status.Code == Envoy.Type.V3.StatusCode.BadRequest)
                {
                    answered++;
                }
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or IOException)
            {
                if (failures.Count < 3)
                {
                    failures.Add($"request {i}: {e.Message}");
                }
            }
        }

        Assert.True(answered == Requests, $"{answered} of {Requests} answered; first failures: {string.Join(" | ", failures)}");
    }
}
