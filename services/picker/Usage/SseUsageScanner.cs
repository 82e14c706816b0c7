using System.Buffers;

namespace Suite.Picker.Usage;

/// <summary>
/// Follows a server-sent-events response chunk by chunk and keeps the usage of the last <c>data:</c> event that
/// carries one. An event split across chunks is stitched together: only the unfinished line is carried over.
/// </summary>
public sealed class SseUsageScanner : IDisposable
{
    /// <summary>A line longer than this is not an event the picker needs; it is dropped rather than buffered.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    private byte[]? _partial;
    private int _partialLength;
    private bool _skippingLongLine;

    public TokenUsage? Usage { get; private set; }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Carry(chunk);
                return;
            }

            if (_partialLength > 0)
            {
                Carry(chunk[..newline]);
                if (!_skippingLongLine)
                {
                    OnLine(_partial.AsSpan(0, _partialLength));
                }

                _partialLength = 0;
            }
            else if (!_skippingLongLine && newline <= MaxLineBytes)
            {
                // An overlong line is skipped even when it arrives whole, so the outcome never depends on chunking.
                OnLine(chunk[..newline]);
            }

            _skippingLongLine = false;
            chunk = chunk[(newline + 1)..];
        }
    }

    public void Dispose()
    {
        if (_partial is not null)
        {
            ArrayPool<byte>.Shared.Return(_partial);
            _partial = null;
        }
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd((byte)'\r');
        if (!line.StartsWith("data:"u8))
        {
            return;
        }

        var data = line[5..].TrimStart((byte)' ');
        if (data.IndexOf("\"usage\""u8) >= 0 && UsageJson.TryRead(data, out var usage))
        {
            Usage = usage;
        }
    }

    private void Carry(ReadOnlySpan<byte> bytes)
    {
        if (_skippingLongLine)
        {
            return;
        }

        var needed = _partialLength + bytes.Length;
        if (needed > MaxLineBytes)
        {
            _skippingLongLine = true;
            _partialLength = 0;
            return;
        }

        if (_partial is null || _partial.Length < needed)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 4096));
            _partial?.AsSpan(0, _partialLength).CopyTo(grown);
            Dispose();
            _partial = grown;
        }

        bytes.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength = needed;
    }
}
