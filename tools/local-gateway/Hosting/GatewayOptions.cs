namespace Suite.LocalGateway.Hosting;

/// <summary>The local gateway's settings (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Address the gateway listens on for clients (HTTP/1.1).</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8080;

    /// <summary>
    /// The pools requests can go to, each with its endpoint picker. A request goes to the pool that lists its
    /// <c>model</c> (body-based routing, as Envoy AI Gateway or the inference extension's body-based router do),
    /// else to the pool marked <see cref="GatewayPoolOptions.Default"/>, else to the first pool.
    /// </summary>
    public List<GatewayPoolOptions> Pools { get; set; } = [];

    /// <summary>Larger request bodies are answered with 413 before the picker is asked.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How long the gateway waits for each picker answer (Envoy's ext_proc <c>message_timeout</c>). It must exceed the
    /// time a request may wait in the queue (<c>Picker:Queue:MaxWait</c>).
    /// </summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(35);

    /// <summary>How long a connection to a model server may take before the next endpoint in the list is tried.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a model server may send nothing (no headers, no body bytes) before the gateway gives up on it: 504
    /// when the response had not started, else the client's connection is cut. Envoy's counterpart is the route's
    /// idle timeout. A hung server thus ends its requests with an error instead of holding them.
    /// </summary>
    public TimeSpan UpstreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Port is < 0 or > 65535)
        {
            problems.Add("Gateway:Port must be 0–65535");
        }

        if (Pools.Count == 0)
        {
            problems.Add("Gateway:Pools must name at least one pool");
        }

        for (var i = 0; i < Pools.Count; i++)
        {
            var pool = Pools[i];
            if (string.IsNullOrWhiteSpace(pool.Name))
            {
                problems.Add($"Gateway:Pools:{i}:Name must be set");
            }

            if (pool.Picker is null || !pool.Picker.IsAbsoluteUri)
            {
                problems.Add($"Gateway:Pools:{i}:Picker must be an absolute URI such as http://127.0.0.1:9002");
            }
        }

        if (Pools.Count(pool => pool.Default) > 1)
        {
            problems.Add("Gateway:Pools: at most one pool can be the default");
        }

        if (MaxRequestBodyBytes < 1)
        {
            problems.Add("Gateway:MaxRequestBodyBytes must be positive");
        }

        if (MessageTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero || UpstreamIdleTimeout <= TimeSpan.Zero)
        {
            problems.Add("Gateway:MessageTimeout, Gateway:ConnectTimeout and Gateway:UpstreamIdleTimeout must be positive");
        }

        return problems;
    }
}
