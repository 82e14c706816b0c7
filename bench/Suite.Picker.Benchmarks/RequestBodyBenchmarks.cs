using BenchmarkDotNet.Attributes;
using Suite.Bench;
using Suite.Picker.RequestBody;

namespace Suite.Picker.Benchmarks;

/// <summary>
/// Reading a chat-completions body once with <see cref="RequestBodyScanner"/> (validate the document, find
/// <c>model</c>, <c>stream</c>, <c>messages</c>) for a typical prompt and a long-context one.
/// </summary>
public class RequestBodyScanBenchmarks
{
    private byte[] _body = [];

    /// <summary>Bytes of message text; the JSON body is a little larger (escapes, other fields).</summary>
    [Params(1_000, 220_000)]
    public int PromptBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = ChatRequestBodies.Create(PromptBytes);
        var scan = RequestBodyScanner.Scan(_body, ApiShape.ChatCompletions);
        if (!scan.IsValid || scan.Model != ChatRequestBodies.BaseModel)
        {
            throw new InvalidOperationException($"Set-up is wrong: {scan.Error ?? scan.Model}");
        }
    }

    [Benchmark]
    public BodyScan Scan() => RequestBodyScanner.Scan(_body, ApiShape.ChatCompletions);
}

/// <summary>
/// Rewriting the model name of a long-context body (<c>x-gateway-model-name-rewrite</c>): the new value is spliced
/// into a pooled copy of the original bytes, which goes back to the pool as the picker does once the body is sent.
/// </summary>
public class ModelNameSpliceBenchmarks
{
    private byte[] _body = [];
    private ByteRange _modelToken;

    [Params(220_000)]
    public int PromptBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = ChatRequestBodies.Create(PromptBytes);
        _modelToken = RequestBodyScanner.Scan(_body, ApiShape.ChatCompletions).ModelToken;
    }

    [Benchmark]
    public int Apply()
    {
        var (buffer, length) = ModelNameSplice.Apply(_body, _modelToken, "meta-llama/Llama-3.1-70B-Instruct");
        ModelNameSplice.Return(buffer);
        return length;
    }
}
