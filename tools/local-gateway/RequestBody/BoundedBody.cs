using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Suite.LocalGateway.RequestBody;

/// <summary>
/// Reads a client's request body whole, up to a limit. The gateway needs it whole anyway: the route is chosen from
/// its <c>model</c> before the picker is asked, as a body-based router in front of Envoy does.
/// </summary>
internal static class BoundedBody
{
    /// <summary>The body, or null when it is larger than <paramref name="limit"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
