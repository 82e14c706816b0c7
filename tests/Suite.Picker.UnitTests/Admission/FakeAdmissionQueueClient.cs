using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Suite.Contracts.Queue;
using Suite.Picker.Admission;

namespace Suite.Picker.UnitTests.Admission;

/// <summary>
/// A queue whose calls a test scripts one by one; a call nobody scripted never answers (a hung queue).
/// </summary>
internal sealed class FakeAdmissionQueueClient : IAdmissionQueueClient
{
    private readonly Queue<FakeAdmitCall> _scripted = new();

    public List<FakeAdmitCall> Calls { get; } = [];

    /// <summary>The call the picker makes next (after those already scripted).</summary>
    public FakeAdmitCall NextCall()
    {
        var call = new FakeAdmitCall();
        _scripted.Enqueue(call);
        return call;
    }

    public IAsyncEnumerable<AdmitUpdate> AdmitAsync(AdmitRequest request, CancellationToken cancellationToken)
    {
        var call = _scripted.TryDequeue(out var next) ? next : new FakeAdmitCall();
        Calls.Add(call);
        return call.RunAsync(request, cancellationToken);
    }
}

/// <summary>One scripted <c>Admit</c> call: the updates it streams, how it ends, and what the picker sent.</summary>
internal sealed class FakeAdmitCall
{
    private readonly Channel<AdmitUpdate> _updates = Channel.CreateUnbounded<AdmitUpdate>();
    private Exception? _failure;

    public AdmitRequest? Request { get; private set; }

    public CancellationToken Token { get; private set; }

    public FakeAdmitCall Send(params AdmitUpdate[] updates)
    {
        foreach (var update in updates)
        {
            Assert.True(_updates.Writer.TryWrite(update));
        }

        return this;
    }

    /// <summary>Ends the call without a further update.</summary>
    public FakeAdmitCall End()
    {
        _updates.Writer.Complete();
        return this;
    }

    /// <summary>The call fails as soon as it starts, as a refused connection does.</summary>
    public FakeAdmitCall FailWith(Exception failure)
    {
        _failure = failure;
        return this;
    }

    public async IAsyncEnumerable<AdmitUpdate> RunAsync(
        AdmitRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Request = request;
        Token = cancellationToken;
        if (_failure is not null)
        {
            throw _failure;
        }

        while (await _updates.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_updates.Reader.TryRead(out var update))
            {
                yield return update;
            }
        }
    }
}

/// <summary>The queue's updates as a test writes them.</summary>
internal static class Updates
{
    public static AdmitUpdate Queued(int band = 0, int depth = 1) => new() { Queued = new Queued { Band = band, Depth = depth } };

    public static AdmitUpdate Admitted() => new() { Admitted = new Admitted() };

    public static AdmitUpdate Rejected(RejectReason reason, string message = "") =>
        new() { Rejected = new Rejected { Reason = reason, Message = message } };

    public static AdmitUpdate Expired() => new() { Expired = new Expired() };
}
