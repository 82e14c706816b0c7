using System.Net;

namespace Suite.ModelSim.Load;

/// <summary>The HttpClient the load streams through: HTTP/1.1 over loopback, one connection per open stream.</summary>
internal static class LoadHttpClient
{
    /// <param name="streamsPerServer">The most requests open at once to one instance; each needs its own connection.</param>
    public static HttpClient Create(int streamsPerServer) =>
        new(new SocketsHttpHandler
        {
            // A request that queued for a connection would count that wait in its TTFT.
            MaxConnectionsPerServer = streamsPerServer + 8,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
        })
        {
            // A stream lasts as long as the simulated engine takes; the workers cancel it, not a timer.
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
