using System.Threading.Channels;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>One open watch: the event lines for its namespace and labels, queued for the request that streams them.</summary>
internal sealed class InMemoryWatch(InMemoryCollection owner, string? namespaceName, InMemoryLabelSelector selector)
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The collection it watches, which stops feeding it once the request ends.</summary>
    public InMemoryCollection Owner => owner;

    /// <summary>Newline-free JSON lines, <c>{"type":…,"object":…}</c>; completes when the kind is removed or the server stops.</summary>
    public ChannelReader<string> Lines => _lines.Reader;

    /// <summary>Queues the event if the object is in this watch's namespace and matches its selector.</summary>
    public void Offer(InMemoryEvent change)
    {
        if ((namespaceName is null || namespaceName == InMemoryObject.NamespaceOf(change.Object)) && selector.Matches(change.Object))
        {
            _lines.Writer.TryWrite(change.Line);
        }
    }

    public void End() => _lines.Writer.TryComplete();
}
