using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Suite.Picker.RequestBody;

/// <summary>
/// Replaces the <c>model</c> value in the original body bytes; every other byte reaches the model server as
/// the client sent it. The result lives in a pooled array the caller returns with <see cref="Return"/>.
/// </summary>
public static class ModelNameSplice
{
    public static (byte[] Buffer, int Length) Apply(ReadOnlySpan<byte> body, ByteRange modelToken, string newModel)
    {
        var encoded = JsonEncodedText.Encode(newModel, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var length = body.Length - modelToken.Length + encoded.Length + 2;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var target = buffer.AsSpan();

        body[..modelToken.Start].CopyTo(target);
        target = target[modelToken.Start..];
        target[0] = (byte)'"';
        encoded.CopyTo(target[1..]);
        target[encoded.Length + 1] = (byte)'"';
        body[modelToken.End..].CopyTo(target[(encoded.Length + 2)..]);
        return (buffer, length);
    }

    public static void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);
}
