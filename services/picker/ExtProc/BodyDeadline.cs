namespace Suite.Picker.ExtProc;

/// <summary>
/// How long one request may take from its headers to the end of its body (<c>Picker:RequestBodyTimeout</c>).
/// The stream's reads wait on <see cref="Token"/>, so an expired deadline interrupts the read and the read loop,
/// the stream's one writer, answers 408. A reset of the call cancels the token too, so a read needs no other.
/// </summary>
internal sealed class BodyDeadline : IDisposable
{
    private readonly CancellationTokenSource _expiry;
    private readonly CancellationTokenRegistration _callLink;

    public BodyDeadline(TimeSpan timeout, TimeProvider time, CancellationToken call)
    {
        Timeout = timeout;
        _expiry = new CancellationTokenSource(timeout, time);
        _callLink = call.UnsafeRegister(static expiry => ((CancellationTokenSource)expiry!).Cancel(), _expiry);
    }

    public TimeSpan Timeout { get; }

    public CancellationToken Token => _expiry.Token;

    /// <summary>True when the time ran out, as opposed to the call being reset.</summary>
    public bool Expired(CancellationToken call) => _expiry.IsCancellationRequested && !call.IsCancellationRequested;

    public void Dispose()
    {
        // Unlink first: the call's cancellation must not reach a disposed source.
        _callLink.Dispose();
        _expiry.Dispose();
    }
}
