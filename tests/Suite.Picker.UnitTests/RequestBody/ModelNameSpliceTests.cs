using System.Text;
using Suite.Picker.RequestBody;

namespace Suite.Picker.UnitTests.RequestBody;

public sealed class ModelNameSpliceTests
{
    private static byte[] Splice(string body, string newModel)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var scan = RequestBodyScanner.Scan(bytes, ApiShape.Other);
        var (buffer, length) = ModelNameSplice.Apply(bytes, scan.ModelToken, newModel);
        try
        {
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ModelNameSplice.Return(buffer);
        }
    }

    [Fact]
    public void Apply_LongerName_ReplacesOnlyTheModelToken()
    {
        var spliced = Splice("{ \"model\" : \"old\" ,\n  \"prompt\":\"héllo\\n\", \"n\":1.50 }", "new-model-7b");

        Assert.Equal(Encoding.UTF8.GetBytes("{ \"model\" : \"new-model-7b\" ,\n  \"prompt\":\"héllo\\n\", \"n\":1.50 }"), spliced);
    }

    [Fact]
    public void Apply_ShorterName_ReplacesOnlyTheModelToken()
    {
        var spliced = Splice("""{"prompt":"x","model":"a-very-long-adapter-name","stream":true}""", "b");

        Assert.Equal("""{"prompt":"x","model":"b","stream":true}"""u8.ToArray(), spliced);
    }

    [Fact]
    public void Apply_OldNameEscaped_ReplacesTheWholeEscapedToken()
    {
        var spliced = Splice("""{"model":"a\"b\u00e9","x":0}""", "c");

        Assert.Equal("""{"model":"c","x":0}"""u8.ToArray(), spliced);
    }

    [Fact]
    public void Apply_NameNeedingEscapes_WritesItAsAJsonString()
    {
        var spliced = Splice("""{"model":"m","x":0}""", "q\"u\\o\nté");

        Assert.Equal(Encoding.UTF8.GetBytes("{\"model\":\"q\\\"u\\\\o\\nté\",\"x\":0}"), spliced);
    }

    [Fact]
    public void Apply_ModelIsLastByteBeforeBrace_KeepsTheClosingBrace()
    {
        var spliced = Splice("""{"model":"m"}""", "llama");

        Assert.Equal([(byte)'{', (byte)'"', (byte)'m', (byte)'o', (byte)'d', (byte)'e', (byte)'l', (byte)'"', (byte)':',
            (byte)'"', (byte)'l', (byte)'l', (byte)'a', (byte)'m', (byte)'a', (byte)'"', (byte)'}'], spliced);
    }
}
