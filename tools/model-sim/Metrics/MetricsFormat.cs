namespace Suite.ModelSim.Metrics;

/// <summary>Which engine's metric names <c>GET /metrics</c> uses.</summary>
public enum MetricsFormat
{
    Vllm,
    Sglang,
}
