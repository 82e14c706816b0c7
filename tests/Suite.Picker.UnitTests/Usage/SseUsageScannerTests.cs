using System.Text;
using Suite.Picker.Usage;

namespace Suite.Picker.UnitTests.Usage;

public sealed class SseUsageScannerTests
{
    private static readonly TokenUsage Final = new(12, 7, 19, 4);

    private static readonly byte[] Stream = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n" +
        ": keep-alive comment\n\n" +
        "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}}\n\n" +
        "event: message\n" +
        "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19," +
        "\"prompt_tokens_details\":{\"cached_tokens\":4}}}\n\n" +
        "data: [DONE]\n\n");

    private static TokenUsage? Scan(params string[] chunks)
    {
        using var scanner = new SseUsageScanner();
        foreach (var chunk in chunks)
        {
            scanner.Append(Encoding.UTF8.GetBytes(chunk));
        }

        return scanner.Usage;
    }

    [Fact]
    public void Append_WholeStream_KeepsUsageOfTheLastEventBeforeDone()
    {
        using var scanner = new SseUsageScanner();

        scanner.Append(Stream);

        Assert.Equal(Final, scanner.Usage);
    }

    [Fact]
    public void Append_StreamSplitInTwoAtEveryByte_KeepsTheSameUsage()
    {
        var differing = new List<int>();

        for (var split = 0; split <= Stream.Length; split++)
        {
            using var scanner = new SseUsageScanner();
            scanner.Append(Stream.AsSpan(0, split));
            scanner.Append(Stream.AsSpan(split));
            if (scanner.Usage != Final)
            {
                differing.Add(split);
            }
        }

        Assert.Empty(differing);
    }

    [Fact]
    public void Append_StreamInOneByteChunks_KeepsTheSameUsage()
    {
        using var scanner = new SseUsageScanner();

        for (var i = 0; i < Stream.Length; i++)
        {
            scanner.Append(Stream.AsSpan(i, 1));
        }

        Assert.Equal(Final, scanner.Usage);
    }

    [Fact]
    public void Append_CrLfLineEndings_ReadsTheUsage()
    {
        var usage = Scan(
            "data: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\r\n\r\n",
            "data: [DONE]\r\n\r\n");

        Assert.Equal(new TokenUsage(3, 2, 5, 0), usage);
    }

    [Fact]
    public void Append_CrLfSplitBetweenCrAndLf_ReadsTheUsage()
    {
        var usage = Scan(
            "data: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\r",
            "\n\r\ndata: [DONE]\r\n\r\n");

        Assert.Equal(new TokenUsage(3, 2, 5, 0), usage);
    }

    [Fact]
    public void Append_DataWithoutSpaceAfterColon_ReadsTheUsage()
    {
        var usage = Scan("data:{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n");

        Assert.Equal(new TokenUsage(1, 1, 2, 0), usage);
    }

    [Fact]
    public void Append_EventsWithoutUsage_LeaveUsageUnset()
    {
        var usage = Scan("data: {\"choices\":[],\"usage\":null}\n\n", "data: [DONE]\n\n");

        Assert.Null(usage);
    }

    [Fact]
    public void Append_LaterEventWithNullUsage_KeepsTheEarlierUsage()
    {
        var usage = Scan(
            "data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n",
            "data: {\"usage\":null}\n\n");

        Assert.Equal(new TokenUsage(1, 1, 2, 0), usage);
    }

    [Fact]
    public void Append_LastLineUnterminated_IsNotReadYet()
    {
        var usage = Scan("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}");

        Assert.Null(usage);
    }

    [Fact]
    public void Append_LineOverMaxLineBytes_IsSkipped()
    {
        using var scanner = new SseUsageScanner();
        scanner.Append("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n"u8);

        AppendInChunks(scanner, OverlongUsageLine());
        scanner.Append("\ndata: [DONE]\n\n"u8);

        Assert.Equal(new TokenUsage(1, 1, 2, 0), scanner.Usage);
    }

    [Fact]
    public void Append_EventAfterOverlongLine_IsRead()
    {
        using var scanner = new SseUsageScanner();
        AppendInChunks(scanner, OverlongUsageLine());

        scanner.Append("\n\ndata: {\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10}}\n\n"u8);

        Assert.Equal(new TokenUsage(8, 2, 10, 0), scanner.Usage);
    }

    [Fact]
    public void Append_OverlongLineEndingInTheChunkThatStartsTheNextEvent_ReadsTheNextEvent()
    {
        using var scanner = new SseUsageScanner();
        var line = OverlongUsageLine();
        AppendInChunks(scanner, line.AsSpan(0, line.Length - 10));

        scanner.Append([.. line.AsSpan(line.Length - 10), .. "\n\ndata: {\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10}}\n\n"u8]);

        Assert.Equal(new TokenUsage(8, 2, 10, 0), scanner.Usage);
    }

    [Fact]
    public void Append_OverlongLineWhoseTailLooksLikeAnEvent_SkipsTheTailToo()
    {
        using var scanner = new SseUsageScanner();
        scanner.Append("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n"u8);
        scanner.Append(Encoding.UTF8.GetBytes("data: " + new string('x', SseUsageScanner.MaxLineBytes)));

        scanner.Append("data: {\"usage\":{\"prompt_tokens\":999,\"completion_tokens\":1,\"total_tokens\":1000}}\n\n"u8);

        Assert.Equal(new TokenUsage(1, 1, 2, 0), scanner.Usage);
    }

    [Fact]
    public void Append_OverlongLineWithinOneChunk_IsSkippedAsWhenSplit()
    {
        using var scanner = new SseUsageScanner();
        scanner.Append("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n"u8);

        scanner.Append([.. OverlongUsageLine(), .. "\n\ndata: [DONE]\n\n"u8]);

        Assert.Equal(new TokenUsage(1, 1, 2, 0), scanner.Usage);
    }

    /// <summary>A data line carrying a usage of 999 prompt tokens, padded past <see cref="SseUsageScanner.MaxLineBytes"/>.</summary>
    private static byte[] OverlongUsageLine()
    {
        var padding = new string('x', SseUsageScanner.MaxLineBytes);
        return Encoding.UTF8.GetBytes(
            $"data: {{\"pad\":\"{padding}\",\"usage\":{{\"prompt_tokens\":999,\"completion_tokens\":1,\"total_tokens\":1000}}}}");
    }

    private static void AppendInChunks(SseUsageScanner scanner, ReadOnlySpan<byte> bytes)
    {
        const int ChunkBytes = 64 * 1024;
        while (!bytes.IsEmpty)
        {
            var take = Math.Min(ChunkBytes, bytes.Length);
            scanner.Append(bytes[..take]);
            bytes = bytes[take..];
        }
    }
}
