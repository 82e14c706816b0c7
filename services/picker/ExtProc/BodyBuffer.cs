using System.Buffers;
using System.Numerics;
using Google.Protobuf;

namespace Suite.Picker.ExtProc;

/// <summary>
/// Collects body chunks. A body that arrives in one chunk is kept as that chunk (no copy); a longer one is
/// copied into a pooled array whose size is the next power of two, so it at least doubles when it grows and is
/// under twice the body (past the pool's smallest array, 16 bytes). Every byte kept, copied or not, is reserved from the process's
/// <see cref="BodyMemoryBudget"/> first, and all of it is released when the buffer is cleared.
/// </summary>
internal sealed class BodyBuffer(BodyMemoryBudget? budget) : IDisposable
{
    // ArrayPool's largest power-of-two bucket; a longer body gets an array of its own length.
    private const int LargestPowerOfTwo = 1 << 30;

    private ByteString? _single;
    private byte[]? _pooled;

    // Also what is reserved from the budget: the two change together, so Clear releases exactly that once.
    private int _length;

    public int Length => _length;

    public ReadOnlyMemory<byte> Memory =>
        _pooled is not null ? _pooled.AsMemory(0, _length) : _single?.Memory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Keeps <paramref name="chunk"/>; false, keeping nothing of it, when the budget has no room for it.</summary>
    public bool TryAppend(ByteString chunk)
    {
        if (chunk.IsEmpty)
        {
            return true;
        }

        if (budget is not null && !budget.TryReserve(chunk.Length))
        {
            return false;
        }

        if (_length == 0)
        {
            _single = chunk;
            _length = chunk.Length;
            return true;
        }

        var needed = _length + chunk.Length;
        if (_pooled is null || _pooled.Length < needed)
        {
            var size = needed > LargestPowerOfTwo ? needed : (int)BitOperations.RoundUpToPowerOf2((uint)needed);
            var grown = ArrayPool<byte>.Shared.Rent(size);
            Memory.Span.CopyTo(grown);
            ReturnPooled();
            _pooled = grown;
            _single = null;
        }

        chunk.Span.CopyTo(_pooled.AsSpan(_length));
        _length = needed;
        return true;
    }

    public void Clear()
    {
        ReturnPooled();
        _single = null;
        budget?.Release(_length);
        _length = 0;
    }

    public void Dispose() => Clear();

    private void ReturnPooled()
    {
        if (_pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(_pooled);
            _pooled = null;
        }
    }
}
