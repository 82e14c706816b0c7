using System.Buffers;
using Google.Protobuf;

namespace Suite.Picker.ExtProc;

/// <summary>
/// Collects body chunks. A body that arrives in one chunk is kept as that chunk (no copy); a longer one is
/// copied into a pooled array that grows by doubling.
/// </summary>
internal sealed class BodyBuffer : IDisposable
{
    private ByteString? _single;
    private byte[]? _pooled;
    private int _length;

    public int Length => _length;

    public ReadOnlyMemory<byte> Memory =>
        _pooled is not null ? _pooled.AsMemory(0, _length) : _single?.Memory ?? ReadOnlyMemory<byte>.Empty;

    public void Append(ByteString chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        if (_length == 0)
        {
            _single = chunk;
            _length = chunk.Length;
            return;
        }

        var needed = _length + chunk.Length;
        if (_pooled is null || _pooled.Length < needed)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, (_pooled?.Length ?? _length) * 2));
            Memory.Span.CopyTo(grown);
            ReturnPooled();
            _pooled = grown;
            _single = null;
        }

        chunk.Span.CopyTo(_pooled.AsSpan(_length));
        _length = needed;
    }

    public void Clear()
    {
        ReturnPooled();
        _single = null;
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
