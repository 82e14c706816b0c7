using System.Text;
using Suite.Picker.RequestBody;

namespace Suite.Picker.UnitTests.RequestBody;

public sealed class RequestBodyScannerTests
{
    private const string InvalidJson = "The request body is not valid JSON:";

    private static BodyScan Scan(string body, ApiShape shape = ApiShape.Other) =>
        RequestBodyScanner.Scan(Encoding.UTF8.GetBytes(body), shape);

    [Fact]
    public void Scan_ModelPresent_ReturnsModelAndItsQuotedRange()
    {
        var scan = Scan("""{"model":"llama-3","prompt":"hi"}""");

        Assert.Null(scan.Error);
        Assert.Equal("llama-3", scan.Model);
        Assert.Equal(new ByteRange(9, 9), scan.ModelToken);
    }

    [Fact]
    public void Scan_InvalidUtf8InASkippedValue_IsRejected()
    {
        byte[] body = [.. "{\"model\":\"m\",\"prompt\":\"ok "u8, 0xFF, .. "\"}"u8];

        var scan = RequestBodyScanner.Scan(body, ApiShape.Completions);

        Assert.Equal("The request body is not valid UTF-8.", scan.Error);
    }

    [Fact]
    public void Scan_ModelAfterMultiByteText_CountsTheRangeInBytes()
    {
        var scan = Scan("""{"prompt":"héllo","model":"m"}""");

        Assert.Equal("m", scan.Model);
        Assert.Equal(new ByteRange(27, 3), scan.ModelToken);
    }

    [Fact]
    public void Scan_EscapedModelName_UnescapesTheNameAndSpansTheRawToken()
    {
        var scan = Scan("""{"model":"a\"b\u00e9"}""");

        Assert.Equal("a\"bé", scan.Model);
        Assert.Equal(new ByteRange(9, 12), scan.ModelToken);
    }

    [Fact]
    public void Scan_ModelKeyRepeated_LastOneCounts()
    {
        var scan = Scan("""{"model":"first","model":"second"}""");

        Assert.Equal("second", scan.Model);
        Assert.Equal(new ByteRange(25, 8), scan.ModelToken);
    }

    [Fact]
    public void Scan_ModelInvalidThenValid_LastOneCounts()
    {
        var scan = Scan("""{"model":7,"model":"second"}""");

        Assert.Null(scan.Error);
        Assert.Equal("second", scan.Model);
    }

    [Fact]
    public void Scan_ModelOnlyInsideNestedObject_IsNotTheModel()
    {
        var scan = Scan("""{"metadata":{"model":"inner"},"prompt":"hi"}""");

        Assert.Equal("The request body has no \"model\" field.", scan.Error);
    }

    [Fact]
    public void Scan_ModelNotAString_FailsWithTypeMessage()
    {
        var scan = Scan("""{"model":42}""");

        Assert.Equal(BodyScan.Invalid("\"model\" must be a string."), scan);
    }

    [Fact]
    public void Scan_ModelIsAnObject_FailsWithTypeMessage()
    {
        var scan = Scan("""{"model":{"name":"llama"},"prompt":"hi"}""");

        Assert.Equal("\"model\" must be a string.", scan.Error);
    }

    [Fact]
    public void Scan_ModelMissing_FailsWithMissingMessage()
    {
        var scan = Scan("""{"prompt":"hi"}""");

        Assert.Equal(BodyScan.Invalid("The request body has no \"model\" field."), scan);
    }

    [Fact]
    public void Scan_EmptyObject_FailsWithMissingMessage()
    {
        var scan = Scan("{}");

        Assert.Equal("The request body has no \"model\" field.", scan.Error);
    }

    [Fact]
    public void Scan_ModelEmpty_FailsWithEmptyMessage()
    {
        var scan = Scan("""{"model":""}""");

        Assert.Equal("\"model\" must not be empty.", scan.Error);
    }

    [Fact]
    public void Scan_ModelWhitespace_FailsWithEmptyMessage()
    {
        var scan = Scan("""{"model":"   "}""");

        Assert.Equal("\"model\" must not be empty.", scan.Error);
    }

    [Fact]
    public void Scan_EmptyBody_FailsAsInvalidJson()
    {
        var scan = Scan("");

        Assert.StartsWith(InvalidJson, scan.Error);
        Assert.Null(scan.Model);
    }

    [Fact]
    public void Scan_StreamTrue_ReportsStreaming()
    {
        var scan = Scan("""{"model":"m","stream":true}""");

        Assert.True(scan.Stream);
    }

    [Fact]
    public void Scan_StreamFalse_ReportsNotStreaming()
    {
        var scan = Scan("""{"stream":false,"model":"m"}""");

        Assert.False(scan.Stream);
        Assert.Null(scan.Error);
    }

    [Fact]
    public void Scan_StreamAsString_ReportsNotStreaming()
    {
        var scan = Scan("""{"model":"m","stream":"true"}""");

        Assert.False(scan.Stream);
    }

    [Fact]
    public void Scan_StreamRepeated_LastOneCounts()
    {
        var scan = Scan("""{"model":"m","stream":true,"stream":false}""");

        Assert.False(scan.Stream);
    }

    [Fact]
    public void Scan_CompletionsWithPrompt_ReturnsPromptRange()
    {
        var scan = Scan("""{"model":"m","prompt":["a","b"]}""", ApiShape.Completions);

        Assert.Null(scan.Error);
        Assert.Equal(new ByteRange(22, 9), scan.Prompt);
    }

    [Fact]
    public void Scan_CompletionsWithoutPrompt_FailsNamingPrompt()
    {
        var scan = Scan("""{"model":"m","messages":[]}""", ApiShape.Completions);

        Assert.Equal(BodyScan.Invalid("/v1/completions requires a \"prompt\" field."), scan);
    }

    [Fact]
    public void Scan_ChatWithMessagesArray_ReturnsMessagesRange()
    {
        var scan = Scan("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", ApiShape.ChatCompletions);

        Assert.Null(scan.Error);
        Assert.Equal(new ByteRange(24, 32), scan.Messages);
    }

    [Fact]
    public void Scan_ChatWithMessagesNotArray_FailsNamingMessages()
    {
        var scan = Scan("""{"model":"m","messages":"hi"}""", ApiShape.ChatCompletions);

        Assert.Equal(BodyScan.Invalid("/v1/chat/completions requires a \"messages\" array."), scan);
    }

    [Fact]
    public void Scan_ChatWithoutMessages_FailsNamingMessages()
    {
        var scan = Scan("""{"model":"m","prompt":"hi"}""", ApiShape.ChatCompletions);

        Assert.Equal("/v1/chat/completions requires a \"messages\" array.", scan.Error);
    }

    [Fact]
    public void Scan_EmbeddingsWithoutInput_FailsNamingInput()
    {
        var scan = Scan("""{"model":"m","prompt":"hi"}""", ApiShape.Embeddings);

        Assert.Equal(BodyScan.Invalid("/v1/embeddings requires an \"input\" field."), scan);
    }

    [Fact]
    public void Scan_EmbeddingsWithInput_IsValid()
    {
        var scan = Scan("""{"model":"m","input":"hi"}""", ApiShape.Embeddings);

        Assert.Null(scan.Error);
        Assert.Equal("m", scan.Model);
    }

    [Fact]
    public void Scan_OtherPathWithoutPromptOrMessages_IsValid()
    {
        var scan = Scan("""{"model":"m"}""", ApiShape.Other);

        Assert.Equal(new BodyScan(null, "m", new ByteRange(9, 3), false, default, default), scan);
    }

    [Fact]
    public void Scan_ModelMissingOnChatPath_ReportsTheModelFirst()
    {
        var scan = Scan("""{"messages":"hi"}""", ApiShape.ChatCompletions);

        Assert.Equal("The request body has no \"model\" field.", scan.Error);
    }

    [Fact]
    public void Scan_TrailingComma_FailsAsInvalidJson()
    {
        var scan = Scan("""{"model":"m",}""");

        Assert.StartsWith(InvalidJson, scan.Error);
    }

    [Fact]
    public void Scan_UnterminatedObject_FailsAsInvalidJson()
    {
        var scan = Scan("""{"model":"m","prompt":"hi" """);

        Assert.StartsWith(InvalidJson, scan.Error);
    }

    [Fact]
    public void Scan_TrailingGarbage_FailsAsInvalidJson()
    {
        var scan = Scan("""{"model":"m"} x""");

        Assert.StartsWith(InvalidJson, scan.Error);
        Assert.Null(scan.Model);
    }

    [Fact]
    public void Scan_SecondRootValue_FailsAsInvalidJson()
    {
        var scan = Scan("""{"model":"m"}{"model":"n"}""");

        Assert.StartsWith(InvalidJson, scan.Error);
    }

    [Fact]
    public void Scan_InvalidJsonInsideSkippedField_FailsAsInvalidJson()
    {
        var scan = Scan("""{"model":"m","tools":[{"a":tru}]}""");

        Assert.StartsWith(InvalidJson, scan.Error);
    }

    [Fact]
    public void Scan_NestingDeeperThanMaxDepth_FailsAsInvalidJson()
    {
        var scan = Scan(Nested(RequestBodyScanner.MaxDepth));

        Assert.StartsWith(InvalidJson, scan.Error);
        Assert.Contains("64", scan.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_NestingAtMaxDepth_IsValid()
    {
        var scan = Scan(Nested(RequestBodyScanner.MaxDepth - 1));

        Assert.Null(scan.Error);
        Assert.Equal("m", scan.Model);
    }

    [Fact]
    public void Scan_ArrayRoot_FailsAsNotAnObject()
    {
        var scan = Scan("""[{"model":"m"}]""");

        Assert.Equal(BodyScan.Invalid("The request body must be a JSON object."), scan);
    }

    [Fact]
    public void Scan_StringRoot_FailsAsNotAnObject()
    {
        var scan = Scan("\"llama\"");

        Assert.Equal("The request body must be a JSON object.", scan.Error);
    }

    /// <summary>A body whose <c>extra</c> field holds <paramref name="arrays"/> nested arrays inside the root object.</summary>
    private static string Nested(int arrays) =>
        "{\"model\":\"m\",\"extra\":" + new string('[', arrays) + new string(']', arrays) + "}";
}
