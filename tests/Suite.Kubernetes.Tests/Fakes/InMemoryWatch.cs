using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>One open watch: the event lines for its namespace and labels, queued for the request that streams them.</summary>
internal sealed class InMemoryWatch(InMemoryCollection owner, string? namespaceName, InMemoryLabelSelector selector)
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _dropped;

    /// <summary>The collection it watches, which stops feeding it once the request ends.</summary>
    public InMemoryCollection Owner => owner;

    /// <summary>Newline-free JSON lines, <c>{"type":…,"object":…}</c>; completes when the kind is removed or the server stops.</summary>
    public ChannelReader<string> Lines => _lines.Reader;

    /// <summary>True once <see cref="Drop"/> was called: the request aborts its connection instead of ending the response.</summary>
    public bool Dropped => _dropped;

    /// <summary>Queues the event if the object is in this watch's namespace and matches its selector.</summary>
    public void Offer(InMemoryEvent change)
    {
        if ((namespaceName is null || namespaceName == InMemoryObject.NamespaceOf(change.Object)) && selector.Matches(change.Object))
        {
            _lines.Writer.TryWrite(change.Line);
        }
    }

    public void End() => _lines.Writer.TryComplete();

    /// <summary>Stops the stream at once, queued lines unsent, and has the connection aborted.</summary>
    public void Drop()
    {
        _dropped = true;
        _lines.Writer.TryComplete();
    }

    /// <summary>
    /// Answers a watch from a compacted resourceVersion as the API server does: one ERROR event carrying a 410 Expired
    /// Status, then the end of the stream.
    /// </summary>
    public void Expire(long requested, long oldest)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"too old resource version: {requested} ({oldest})",
            ["reason"] = "Expired",
            ["code"] = 410,
        };
        _lines.Writer.TryWrite(new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString());
        End();
    }
}
