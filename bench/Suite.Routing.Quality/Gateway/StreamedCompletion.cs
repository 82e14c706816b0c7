using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;

namespace Suite.Routing.Quality.Gateway;

/// <summary>
/// A pod's server-sent-events response, read to its end: every byte (the gateway passes them back through the
/// picker), when the first output token arrived, and the token counts. In a chat stream the first event carries only
/// the role (<c>"content":""</c>); the first token is the first event whose content is not empty.
/// </summary>
internal sealed class StreamedCompletion
{
    private static readonly byte[] ContentField = "\"content\":\""u8.ToArray();
    private static readonly byte[] PromptTokensField = "\"prompt_tokens\":"u8.ToArray();
    private static readonly byte[] CachedTokensField = "\"cached_tokens\":"u8.ToArray();

    private StreamedCompletion(ArrayBufferWriter<byte> body, long firstToken, long ended)
    {
        Body = body.WrittenMemory;
        FirstTokenTimestamp = firstToken;
        EndedTimestamp = ended;
        OutputTokens = CountTokens(Body.Span);
        PromptTokens = ReadNumber(Body.Span, PromptTokensField);
        CachedTokens = ReadNumber(Body.Span, CachedTokensField);
    }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary><see cref="Stopwatch"/> timestamp of the read that brought the first token; 0 if none came.</summary>
    public long FirstTokenTimestamp { get; }

    public long EndedTimestamp { get; }

    public int OutputTokens { get; }

    /// <summary>From the usage event; 0 when the stream carried none.</summary>
    public int PromptTokens { get; }

    /// <summary>Prompt tokens the pod took from its prefix cache (usage <c>prompt_tokens_details.cached_tokens</c>); 0 when absent.</summary>
    public int CachedTokens { get; }

    public static async Task<StreamedCompletion> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(32 * 1024);
        long firstToken = 0;
        var scanFrom = 0;
        while (true)
        {
            var read = await stream.ReadAsync(body.GetMemory(16 * 1024), cancellationToken);
            if (read == 0)
            {
                return new StreamedCompletion(body, firstToken, Stopwatch.GetTimestamp());
            }

            var now = Stopwatch.GetTimestamp();
            body.Advance(read);
            if (firstToken == 0 && FindToken(body.WrittenSpan, ref scanFrom))
            {
                firstToken = now;
            }
        }
    }

    /// <summary>
    /// Looks for a non-empty content value from <paramref name="scanFrom"/> on. Found: <paramref name="scanFrom"/> is
    /// where its field starts; not found: where the next look must start.
    /// </summary>
    private static bool FindToken(ReadOnlySpan<byte> written, ref int scanFrom)
    {
        while (true)
        {
            var at = written[scanFrom..].IndexOf(ContentField);
            if (at < 0)
            {
                // The field may be cut by the end of this read: look again at its last bytes next time.
                scanFrom = Math.Max(scanFrom, written.Length - ContentField.Length + 1);
                return false;
            }

            var value = scanFrom + at + ContentField.Length;
            if (value >= written.Length)
            {
                scanFrom += at;
                return false;
            }

            if (written[value] != (byte)'"')
            {
                scanFrom += at;
                return true;
            }

            scanFrom = value + 1;
        }
    }

    private static int CountTokens(ReadOnlySpan<byte> body)
    {
        var count = 0;
        var from = 0;
        while (FindToken(body, ref from))
        {
            count++;
            from += ContentField.Length;
        }

        return count;
    }

    private static int ReadNumber(ReadOnlySpan<byte> body, ReadOnlySpan<byte> field)
    {
        var at = body.LastIndexOf(field);
        return at >= 0 && Utf8Parser.TryParse(body[(at + field.Length)..], out int tokens, out _) ? tokens : 0;
    }
}
