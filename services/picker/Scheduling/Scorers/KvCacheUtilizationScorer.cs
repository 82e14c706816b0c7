namespace Suite.Picker.Scheduling.Scorers;

/// <summary>Prefers endpoints with free KV-cache: score = 1 − utilisation.</summary>
public sealed class KvCacheUtilizationScorer : IEndpointScorer
{
    public const string TypeName = "kv-cache";

    public string Name => TypeName;

    public void Score(in SchedulingRequest request, ReadOnlySpan<Candidate> candidates, Span<double> scores)
    {
        for (var i = 0; i < candidates.Length; i++)
        {
            scores[i] = 1.0 - Math.Clamp(candidates[i].Metrics.KvCacheUsage, 0.0, 1.0);
        }
    }
}
