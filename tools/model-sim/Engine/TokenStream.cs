using System.Threading.Channels;

namespace Suite.ModelSim.Engine;

internal readonly record struct TokenEvent(int OutputIndex, FinishReason? Finished, int CachedPromptTokens, TimeSpan At);

/// <summary>A sequence's progress as a channel the HTTP handler reads; the engine never waits on it.</summary>
internal sealed class TokenStream : ISequenceObserver
{
    private readonly Channel<TokenEvent> _events =
        Channel.CreateUnbounded<TokenEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public ChannelReader<TokenEvent> Reader => _events.Reader;

    public void OnToken(int outputIndex, TimeSpan at) => _events.Writer.TryWrite(new TokenEvent(outputIndex, null, 0, at));

    public void OnFinished(FinishReason reason, int cachedPromptTokens, TimeSpan at)
    {
        _events.Writer.TryWrite(new TokenEvent(-1, reason, cachedPromptTokens, at));
        _events.Writer.TryComplete();
    }
}
