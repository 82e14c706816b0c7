using System.Buffers;
using System.Net;

namespace Suite.MetricsCollector.Scraping;

/// <summary>A <c>/metrics</c> page in a pooled buffer; <see cref="Dispose"/> returns the buffer.</summary>
internal readonly struct MetricsPage(byte[] buffer, int length) : IDisposable
{
    public ReadOnlySpan<byte> Bytes => buffer.AsSpan(0, length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}

/// <summary>
/// Fetches model servers' <c>/metrics</c> pages over kept-alive HTTP/1.1 connections (one pool for all
/// endpoints; a connection per endpoint is reused round after round) into pooled buffers.
/// </summary>
internal sealed class MetricsPageFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly int _maxBytes;

    public MetricsPageFetcher(int maxBytes, HttpMessageHandler? handler = null)
    {
        _maxBytes = maxBytes;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            // Idle connections outlive many rounds, so a scrape never pays a TCP handshake in steady state.
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = 2,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the caller's token carries the per-scrape timeout
        };
    }

    /// <summary>The page, or throws <see cref="ScrapeFailedException"/> with the reason.</summary>
    public async Task<MetricsPage> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("text/plain");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new ScrapeFailedException(ScrapeFailure.HttpStatus, $"HTTP {(int)response.StatusCode} from {uri}");
        }

        var expected = response.Content.Headers.ContentLength;
        if (expected > _maxBytes)
        {
            throw new ScrapeFailedException(ScrapeFailure.TooLarge, $"{uri} announced {expected} bytes, more than the {_maxBytes} allowed");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent((int)(expected ?? 64 * 1024) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= _maxBytes)
                    {
                        throw new ScrapeFailedException(ScrapeFailure.TooLarge, $"{uri} sent more than the {_maxBytes} bytes allowed");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _maxBytes));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return new MetricsPage(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
