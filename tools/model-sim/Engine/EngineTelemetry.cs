using Suite.ModelSim.Metrics;

namespace Suite.ModelSim.Engine;

/// <summary>The engine's counters and latency histograms, as vLLM exports them. Owned by the engine's lock.</summary>
internal sealed class EngineTelemetry
{
    // vLLM's bucket bounds for these histograms (seconds).
    private static readonly double[] TtftBuckets =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];

    private static readonly double[] TpotBuckets =
        [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];

    private static readonly double[] RequestBuckets =
        [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    public long PromptTokens { get; set; }

    public long GenerationTokens { get; set; }

    /// <summary>Tokens looked up in the prefix cache when requests were scheduled.</summary>
    public long PrefixCacheQueries { get; set; }

    /// <summary>Of those, tokens found resident.</summary>
    public long PrefixCacheHits { get; set; }

    public long Preemptions { get; set; }

    public long FinishedLength { get; set; }

    public long FinishedStop { get; set; }

    public long FinishedAbort { get; set; }

    public Histogram TimeToFirstToken { get; private init; } = new(TtftBuckets);

    public Histogram TimePerOutputToken { get; private init; } = new(TpotBuckets);

    public Histogram EndToEndLatency { get; private init; } = new(RequestBuckets);

    public Histogram QueueTime { get; private init; } = new(RequestBuckets);

    public void RecordFinished(FinishReason reason)
    {
        switch (reason)
        {
            case FinishReason.Length: FinishedLength++; break;
            case FinishReason.Stop: FinishedStop++; break;
            default: FinishedAbort++; break;
        }
    }

    public EngineTelemetry Copy() => new()
    {
        PromptTokens = PromptTokens,
        GenerationTokens = GenerationTokens,
        PrefixCacheQueries = PrefixCacheQueries,
        PrefixCacheHits = PrefixCacheHits,
        Preemptions = Preemptions,
        FinishedLength = FinishedLength,
        FinishedStop = FinishedStop,
        FinishedAbort = FinishedAbort,
        TimeToFirstToken = TimeToFirstToken.Copy(),
        TimePerOutputToken = TimePerOutputToken.Copy(),
        EndToEndLatency = EndToEndLatency.Copy(),
        QueueTime = QueueTime.Copy(),
    };
}
