using System.Text;
using CsCheck;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Suite.Picker.FunctionalTests.Infrastructure;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>
/// Property-based tests of the ext_proc stream (CsCheck, which shrinks a failure to its smallest case and prints a
/// seed): whatever a gateway or a client sends — messages in any order, garbage and hostile JSON, any chunking —
/// the picker never fails the call, answers itself at most once and only with a documented status, and releases
/// everything it held for the request.
/// </summary>
public sealed class ExtProcStreamPropertyTests : IDisposable
{
    private const string Pod = "10.0.0.1:8000";
    private const string ValidBody = """{"model":"m","messages":[{"role":"user","content":"Hello there"}]}""";

    // The statuses the picker documents for answering a request itself (README, "Answers the picker gives itself").
    private static readonly int[] DocumentedStatuses = [400, 404, 413, 429, 500, 503];

    // What a body alone can earn: malformed (400) or too large (413).
    private static readonly int[] BodyStatuses = [400, 413];

    private readonly PickerFactory _picker = new PickerFactory().With("Picker:MaxRequestBodyBytes", "4096");

    public ExtProcStreamPropertyTests()
    {
        _picker.Publish(PickerFactory.Endpoint(Pod));
    }

    private enum Kind
    {
        RequestHeaders,
        RequestBody,
        RequestTrailers,
        ResponseHeaders,
        ResponseBody,
        ResponseTrailers,
    }

    private sealed record Step(Kind Kind, byte[] Body, bool EndOfStream, int ExtraHeaders);

    [Fact]
    public async Task Stream_AnySequenceOfMessages_EndsCleanlyAndReleasesTheRequest()
    {
        var body = Gen.OneOf(Gen.Const(Encoding.UTF8.GetBytes(ValidBody)), Gen.Byte.Array[0, 300], JsonBodies.Select(Encoding.UTF8.GetBytes));
        var step = Gen.Select(Gen.Enum<Kind>(), body, Gen.Bool, Gen.Int[0, 40], (kind, bytes, end, extra) => new Step(kind, bytes, end, extra));

        await step.Array[1, 10].SampleAsync(async steps =>
        {
            var (answers, status) = await PlayAsync(steps);

            AssertEndedCleanly(answers, status);
        }, iter: 300, threads: 1);
    }

    [Fact]
    public async Task Body_AnyJsonOrGarbage_IsRoutedOrRefusedWith400Or413()
    {
        var body = Gen.OneOf(JsonBodies.Select(Encoding.UTF8.GetBytes), Gen.Byte.Array[0, 5000], Truncated);

        await body.SampleAsync(async bytes =>
        {
            var (answers, status) = await PlayAsync([new Step(Kind.RequestHeaders, [], false, 0), new Step(Kind.RequestBody, bytes, true, 0)]);

            AssertEndedCleanly(answers, status);
            var first = Assert.Single(answers, a => a.ResponseCase is ProcessingResponse.ResponseOneofCase.RequestHeaders or ProcessingResponse.ResponseOneofCase.ImmediateResponse);
            if (first.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse)
            {
                Assert.Contains((int)first.ImmediateResponse.Status.Code, BodyStatuses);
            }
        }, iter: 400, threads: 1);
    }

    [Fact]
    public async Task Body_ValidRequestInAnyChunking_IsRoutedWithEveryByteReturned()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidBody);
        var cuts = Gen.Int[1, bytes.Length - 1].Array[0, 20].Select(c => c.Distinct().Order().ToArray());

        await cuts.SampleAsync(async points =>
        {
            var chunks = new List<Step> { new(Kind.RequestHeaders, [], false, 0) };
            var start = 0;
            foreach (var point in points.Append(bytes.Length))
            {
                chunks.Add(new Step(Kind.RequestBody, bytes[start..point], point == bytes.Length, 0));
                start = point;
            }

            var (answers, status) = await PlayAsync([.. chunks]);

            AssertEndedCleanly(answers, status);
            Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, answers[0].ResponseCase);
            var returned = answers.Skip(1).Where(a => a.ResponseCase == ProcessingResponse.ResponseOneofCase.RequestBody)
                .SelectMany(a => a.RequestBody.Response.BodyMutation.StreamedResponse.Body.ToByteArray()).ToArray();
            Assert.Equal(bytes, returned);
        }, iter: 200, threads: 1);
    }

    public void Dispose() => _picker.Dispose();

    /// <summary>JSON documents a client could send: model of every type, deep nesting, big and odd strings.</summary>
    private static Gen<string> JsonBodies { get; } = Gen.OneOf(
        Gen.Select(Gen.OneOf(Gen.Const("\"m\""), Gen.Const("\"\""), Gen.Const("17"), Gen.Const("null"), Gen.Const("[\"m\"]"), Gen.Const("{\"name\":\"m\"}"), Gen.Const("true")),
            Gen.Bool,
            (model, messages) => messages ? $$"""{"model":{{model}},"messages":[]}""" : $$"""{"model":{{model}}}"""),
        Gen.Int[1, 200].Select(depth => $$"""{"model":"m","messages":[],"x":{{new string('[', depth)}}{{new string(']', depth)}}}"""),
        Gen.String.Select(text => $$"""{"model":"m","messages":[{"role":"user","content":{{System.Text.Json.JsonSerializer.Serialize(text)}}}]}"""),
        Gen.Int[1, 100].Select(n => "{" + string.Join(',', Enumerable.Range(0, n).Select(i => $"\"model\":\"m{i}\"")) + ",\"messages\":[]}"),
        Gen.Const("""{"model":"m","messages":[],"stream":"yes","max_tokens":-1}"""),
        Gen.Const("""{"model":"m\u0000","messages":[]}"""),
        Gen.Const("[1,2,3]"),
        Gen.Const(""));

    /// <summary>A valid request cut short: unterminated strings, objects and arrays.</summary>
    private static Gen<byte[]> Truncated { get; } =
        Gen.Int[1, ValidBody.Length - 1].Select(length => Encoding.UTF8.GetBytes(ValidBody[..length]));

    private static void AssertEndedCleanly(List<ProcessingResponse> answers, Status status)
    {
        Assert.Equal(StatusCode.OK, status.StatusCode);
        var immediate = answers.FindIndex(a => a.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse);
        if (immediate >= 0)
        {
            Assert.Equal(answers.Count - 1, immediate);
            Assert.Contains((int)answers[immediate].ImmediateResponse.Status.Code, DocumentedStatuses);
        }
    }

    /// <summary>Sends the steps as a gateway would (a write the picker no longer reads is skipped), ends the stream, reads every answer.</summary>
    private async Task<(List<ProcessingResponse> Answers, Status Status)> PlayAsync(Step[] steps)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var call = new ExternalProcessor.ExternalProcessorClient(_picker.Channel).Process(cancellationToken: timeout.Token);
        var reading = ReadAllAsync(call, timeout.Token);
        foreach (var step in steps)
        {
            try
            {
                await call.RequestStream.WriteAsync(Message(step));
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException)
            {
                break;   // the picker answered and ended the stream
            }
        }

        try
        {
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
        }

        var answers = await reading;
        var status = call.GetStatus();
        Assert.Equal(0, _picker.InFlight.InFlightTo(Pod));
        return (answers, status);
    }

    private static async Task<List<ProcessingResponse>> ReadAllAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call, CancellationToken cancellationToken)
    {
        var answers = new List<ProcessingResponse>();
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            answers.Add(call.ResponseStream.Current);
        }

        return answers;
    }

    private static ProcessingRequest Message(Step step)
    {
        var body = new HttpBody { Body = ByteString.CopyFrom(step.Body), EndOfStream = step.EndOfStream };
        return step.Kind switch
        {
            Kind.RequestHeaders => new ProcessingRequest { RequestHeaders = Headers(step, request: true) },
            Kind.RequestBody => new ProcessingRequest { RequestBody = body },
            Kind.RequestTrailers => new ProcessingRequest { RequestTrailers = new HttpTrailers { Trailers = new HeaderMap() } },
            Kind.ResponseHeaders => new ProcessingRequest { ResponseHeaders = Headers(step, request: false) },
            Kind.ResponseBody => new ProcessingRequest { ResponseBody = body },
            _ => new ProcessingRequest { ResponseTrailers = new HttpTrailers { Trailers = new HeaderMap() } },
        };
    }

    /// <summary>Envoy's headers, plus duplicates and odd ones: repeated gateway headers, empty and non-ASCII values.</summary>
    private static HttpHeaders Headers(Step step, bool request)
    {
        var map = new HeaderMap();
        void Add(string key, string value) => map.Headers.Add(new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) });
        if (request)
        {
            Add(":method", "POST");
            Add(":path", "/v1/chat/completions");
            Add("content-type", "application/json");
        }
        else
        {
            Add(":status", step.ExtraHeaders % 3 == 0 ? "500" : "200");
        }

        for (var i = 0; i < step.ExtraHeaders; i++)
        {
            Add(i % 4 == 0 ? "x-gateway-destination-endpoint" : i % 4 == 1 ? "x-gateway-inference-objective" : $"x-extra-{i}", i % 2 == 0 ? "" : "värde-ünïcode");
        }

        return new HttpHeaders { Headers = map, EndOfStream = step.EndOfStream };
    }
}
