using System.Collections.Concurrent;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>The requests a fault of the in-memory API server can spoil.</summary>
internal enum InMemoryRequestKind
{
    /// <summary>GET of a collection without <c>watch</c>.</summary>
    List,

    /// <summary>GET of a collection with <c>watch=true</c>.</summary>
    Watch,

    /// <summary>PUT or PATCH of an object's <c>status</c> subresource.</summary>
    StatusWrite,
}

/// <summary>One request the in-memory API server spoilt on purpose.</summary>
/// <param name="Plural">The resource asked for, e.g. <c>pods</c>.</param>
/// <param name="StatusCode">The HTTP status answered; 0 for a watch cut off mid-stream.</param>
internal sealed record InMemoryFault(InMemoryRequestKind Request, string Plural, int StatusCode);

/// <summary>
/// Switches that make the in-memory API server misbehave as a real one does under trouble: lists, watches or status
/// writes answered with an HTTP error and a Status body, and watches cut off after a few events. Each switch holds
/// until <see cref="Clear"/>. Every spoilt request is recorded, so a test can wait for several failed attempts.
/// </summary>
internal sealed class InMemoryFaults
{
    private readonly ConcurrentQueue<InMemoryFault> _injected = new();
    private volatile int _listStatus;
    private volatile int _watchStatus;
    private volatile int _statusWriteStatus;
    private volatile int _dropWatchesAfter = -1;

    /// <summary>Every fault injected so far, in order.</summary>
    public IReadOnlyList<InMemoryFault> Injected => [.. _injected];

    /// <summary>Lists answer <paramref name="statusCode"/> (e.g. 500, 503); 0 serves them again.</summary>
    public void FailLists(int statusCode) => _listStatus = statusCode;

    /// <summary>New watches answer <paramref name="statusCode"/> instead of streaming (open ones are not touched); 0 serves them again.</summary>
    public void FailWatches(int statusCode) => _watchStatus = statusCode;

    /// <summary>Status writes answer <paramref name="statusCode"/> (e.g. 409, 500) and change nothing; 0 serves them again.</summary>
    public void FailStatusWrites(int statusCode) => _statusWriteStatus = statusCode;

    /// <summary>
    /// Every watch, open or new, streams at most <paramref name="events"/> events: its connection is aborted instead of
    /// sending the next one (with 0, as soon as it opens).
    /// </summary>
    public void DropWatchesAfter(int events) => _dropWatchesAfter = events;

    /// <summary>Serves normally again.</summary>
    public void Clear()
    {
        _listStatus = 0;
        _watchStatus = 0;
        _statusWriteStatus = 0;
        _dropWatchesAfter = -1;
    }

    /// <summary>How many requests of this kind for this resource were spoilt.</summary>
    public int Count(InMemoryRequestKind request, string plural) => _injected.Count(f => f.Request == request && f.Plural == plural);

    /// <summary>The error to answer instead of serving the request, recorded; null to serve it.</summary>
    public InMemoryResponse? Failure(InMemoryRequestKind request, string plural)
    {
        var statusCode = request switch
        {
            InMemoryRequestKind.List => _listStatus,
            InMemoryRequestKind.Watch => _watchStatus,
            _ => _statusWriteStatus,
        };
        if (statusCode == 0)
        {
            return null;
        }

        _injected.Enqueue(new InMemoryFault(request, plural, statusCode));
        return InMemoryResponse.Failure(statusCode, ReasonOf(statusCode), $"injected fault: {request} of {plural} answers {statusCode}");
    }

    /// <summary>True, recorded, when a watch that has streamed <paramref name="streamed"/> events must be cut off now.</summary>
    public bool MustDrop(string plural, int streamed)
    {
        var after = _dropWatchesAfter;
        if (after < 0 || streamed < after)
        {
            return false;
        }

        _injected.Enqueue(new InMemoryFault(InMemoryRequestKind.Watch, plural, 0));
        return true;
    }

    /// <summary>The <c>reason</c> the API server puts in a Status with this code.</summary>
    private static string ReasonOf(int statusCode) => statusCode switch
    {
        409 => "Conflict",
        410 => "Expired",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    };
}
