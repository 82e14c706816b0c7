namespace Suite.Picker.ExtProc;

/// <summary>
/// The request-body bytes all streams of the process may hold at once (<c>Picker:MaxBufferedBodyBytes</c>). Each
/// <see cref="BodyBuffer"/> reserves its growth before it keeps a chunk and releases it all when cleared, so the
/// sum of what is reserved never exceeds <see cref="Limit"/>, however many streams reserve at the same time.
/// </summary>
internal sealed class BodyMemoryBudget(long limit)
{
    private long _reserved;

    public long Limit { get; } = limit;

    /// <summary>Bytes the buffered request bodies hold now.</summary>
    public long Reserved => Volatile.Read(ref _reserved);

    /// <summary>Adds <paramref name="bytes"/> unless that would take the total past <see cref="Limit"/>; false then, and nothing changes.</summary>
    public bool TryReserve(long bytes)
    {
        var current = Volatile.Read(ref _reserved);
        while (true)
        {
            // Compare-and-swap, not add-then-undo: an add that overshoots for a moment would refuse another stream that fits.
            if (bytes > Limit - current)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _reserved, current + bytes, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref _reserved, -bytes);
}
