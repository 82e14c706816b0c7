using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Suite.ModelSim.Engine;
using Suite.ModelSim.Hosting;

namespace Suite.ModelSim.OpenAi;

/// <summary>
/// <c>POST /v1/completions</c> and <c>POST /v1/chat/completions</c>: validate, turn the request into an engine
/// sequence, then write its tokens as they are generated (SSE) or all at once.
/// </summary>
internal static class CompletionEndpoint
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static async Task HandleAsync(HttpContext http, SimulatorInstance instance, bool isChat)
    {
        var faults = instance.Faults;
        if (faults.ErrorRate > 0 && instance.NextDouble() < faults.ErrorRate)
        {
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status500InternalServerError, "Injected fault: the simulated server failed this request.");
            return;
        }

        var body = await ReadBodyAsync(http.Request.BodyReader, http.RequestAborted);
        var request = CompletionRequestParser.Parse(body, isChat, out var problem);
        if (request is null)
        {
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status400BadRequest, problem!.Message, problem.Param);
            return;
        }

        var profile = instance.Profile;
        string? adapter = null;
        if (request.Model != profile.ModelName)
        {
            if (!instance.Engine.Read(core => core.Adapters.IsRegistered(request.Model)))
            {
                await OpenAiErrors.WriteAsync(http, StatusCodes.Status404NotFound, $"The model `{request.Model}` does not exist.", "model");
                return;
            }

            adapter = request.Model;
        }

        var prompt = request.PromptText is { } text
            ? PromptTokens.FromText(text, adapter, profile.CharsPerToken, profile.BlockSize)
            : PromptTokens.FromTokenIds(request.PromptTokenIds!, adapter, profile.BlockSize);
        var maxTokens = request.MaxTokens ?? (request.IgnoreEos ? profile.DefaultMaxTokens : profile.MaxModelLen - prompt.Count);
        if (prompt.Count + Math.Max(maxTokens, 1) > profile.MaxModelLen)
        {
            await OpenAiErrors.WriteAsync(
                http,
                StatusCodes.Status400BadRequest,
                $"This model's maximum context length is {profile.MaxModelLen} tokens. However, you requested {prompt.Count + maxTokens} tokens "
                + $"({prompt.Count} in the {(isChat ? "messages" : "prompt")}, {maxTokens} in the completion). Please reduce the length of the {(isChat ? "messages" : "prompt")} or completion.",
                request.MaxTokens is null ? (isChat ? "messages" : "prompt") : "max_tokens");
            return;
        }

        var (outputTokens, finish) = OutputLength(request, maxTokens, profile.MeanOutputTokens, instance);
        var requestId = instance.NextRequestId();
        var stream = new TokenStream();
        var sequence = new Sequence(requestId, prompt, adapter, outputTokens, finish, stream);
        if (!instance.Engine.TrySubmit(sequence))
        {
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status429TooManyRequests, $"The server's waiting queue is full ({profile.MaxWaiting} requests); try again later.");
            return;
        }

        var dieAfter = faults.DieRate > 0 && instance.NextDouble() < faults.DieRate ? faults.DieAfterTokens : -1;
        var identity = new ResponseIdentity(
            isChat, $"{(isChat ? "chatcmpl" : "cmpl")}-{instance.Name}-{requestId}", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), request.Model);
        try
        {
            if (request.Stream)
            {
                await StreamAsync(http, instance, sequence, stream, identity, request.IncludeUsage, dieAfter);
            }
            else
            {
                await RespondWholeAsync(http, instance, sequence, stream, identity, dieAfter);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client left.
        }
        finally
        {
            // However the handler ends, the request leaves the engine (a no-op once it finished). Not a callback on
            // RequestAborted: the handler can unwind and drop such a registration before Kestrel's cancel reaches it.
            instance.Engine.Cancel(sequence);
        }
    }

    private static async Task StreamAsync(
        HttpContext http, SimulatorInstance instance, Sequence sequence, TokenStream stream, ResponseIdentity identity, bool includeUsage, int dieAfter)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        var output = response.BodyWriter;
        var sent = 0;
        TokenEvent? finished = null;
        if (identity.IsChat)
        {
            WriteEvent(output, buffer => CompletionJson.WriteChunk(buffer, identity, "", firstChatChunk: true, finish: null));
        }

        await output.FlushAsync(http.RequestAborted);
        while (finished is null && await stream.Reader.WaitToReadAsync(http.RequestAborted))
        {
            // Everything generated since the last write goes out in one flush.
            while (stream.Reader.TryRead(out var next))
            {
                if (next.Finished is not null)
                {
                    finished = next;
                    break;
                }

                WriteEvent(output, buffer => CompletionJson.WriteChunk(buffer, identity, OutputText.Token(sequence.Id, next.OutputIndex), false, null));
                if (++sent == dieAfter)
                {
                    await output.FlushAsync(http.RequestAborted);
                    // Kestrel sends flushed bytes asynchronously and an abort drops what is unsent: give them a moment,
                    // so the client receives exactly the tokens before the "crash".
                    await Task.Delay(250, http.RequestAborted);
                    Die(http, instance, sequence);
                    return;
                }
            }

            await output.FlushAsync(http.RequestAborted);
        }

        if (finished is not { Finished: { } reason } last || reason == FinishReason.Abort)
        {
            return;
        }

        WriteEvent(output, buffer => CompletionJson.WriteChunk(buffer, identity, identity.IsChat ? null : "", false, reason));
        if (includeUsage)
        {
            var usage = new Usage(sequence.Prompt.Count, sent, last.CachedPromptTokens);
            WriteEvent(output, buffer => CompletionJson.WriteUsageChunk(buffer, identity, usage));
        }

        output.Write(Done);
        await output.FlushAsync(http.RequestAborted);
    }

    private static async Task RespondWholeAsync(
        HttpContext http, SimulatorInstance instance, Sequence sequence, TokenStream stream, ResponseIdentity identity, int dieAfter)
    {
        var text = new StringBuilder();
        var generated = 0;
        await foreach (var next in stream.Reader.ReadAllAsync(http.RequestAborted))
        {
            if (next.Finished is { } reason)
            {
                if (reason == FinishReason.Abort)
                {
                    return;
                }

                http.Response.ContentType = "application/json";
                CompletionJson.WriteResponse(
                    http.Response.BodyWriter, identity, text.ToString(), reason, new Usage(sequence.Prompt.Count, generated, next.CachedPromptTokens));
                await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
                return;
            }

            text.Append(OutputText.Token(sequence.Id, next.OutputIndex));
            if (++generated == dieAfter)
            {
                Die(http, instance, sequence);
                return;
            }
        }
    }

    /// <summary>The injected "pod died mid-stream": the connection is reset and the request leaves the engine.</summary>
    private static void Die(HttpContext http, SimulatorInstance instance, Sequence sequence)
    {
        instance.Engine.Cancel(sequence);
        http.Abort();
    }

    private static void WriteEvent(PipeWriter output, Action<IBufferWriter<byte>> writeJson)
    {
        output.Write(DataPrefix);
        writeJson(output);
        output.Write(EventEnd);
    }

    private static (int Tokens, FinishReason Finish) OutputLength(CompletionRequest request, int maxTokens, int meanOutputTokens, SimulatorInstance instance)
    {
        if (request.IgnoreEos)
        {
            return (maxTokens, FinishReason.Length);
        }

        // Each token is the end-of-sequence token with probability 1/mean: a geometric length with that mean.
        var endProbability = 1.0 / meanOutputTokens;
        var draw = 1 - instance.NextDouble();
        var length = endProbability >= 1 ? 1 : 1 + (int)Math.Min(int.MaxValue - 1, Math.Floor(Math.Log(draw) / Math.Log(1 - endProbability)));
        return length >= maxTokens ? (maxTokens, FinishReason.Length) : (length, FinishReason.Stop);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(PipeReader reader, CancellationToken cancellation)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellation);
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
