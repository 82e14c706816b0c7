namespace Suite.Picker.Scheduling.Filters;

/// <summary>Keeps endpoints whose KV-cache use is below <see cref="Threshold"/> (a fraction), when any is.</summary>
public sealed class KvCacheBelowFilter(double threshold) : ICandidateFilter
{
    public const string TypeName = "kv-cache-below";

    public double Threshold { get; } = threshold;

    public string Name => TypeName;

    public int Filter(in SchedulingRequest request, Span<Candidate> candidates) =>
        SoftFilter.Keep(candidates, new KvBelow(Threshold));

    private readonly record struct KvBelow(double Threshold) : ICandidateTest
    {
        public bool Passes(in Candidate candidate) => candidate.Metrics.KvCacheUsage < Threshold;
    }
}
