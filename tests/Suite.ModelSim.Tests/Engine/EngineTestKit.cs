using System.Text;
using Suite.ModelSim.Engine;

namespace Suite.ModelSim.Tests.Engine;

/// <summary>Records what the engine reports for one sequence.</summary>
internal sealed class RecordingObserver : ISequenceObserver
{
    public List<(int Index, TimeSpan At)> Tokens { get; } = [];

    public FinishReason? Finished { get; private set; }

    public int CachedPromptTokens { get; private set; }

    public TimeSpan FinishedAt { get; private set; }

    public TimeSpan FirstTokenAt => Tokens[0].At;

    public void OnToken(int outputIndex, TimeSpan at) => Tokens.Add((outputIndex, at));

    public void OnFinished(FinishReason reason, int cachedPromptTokens, TimeSpan at)
    {
        Finished = reason;
        CachedPromptTokens = cachedPromptTokens;
        FinishedAt = at;
    }
}

/// <summary>A core driven step by step on an explicit clock: every duration in a test is exact.</summary>
internal sealed class EngineDriver
{
    private long _nextId;

    public EngineDriver(EngineProfile profile, params string[] adapters)
    {
        var slots = new AdapterSlots(profile.MaxLoras);
        foreach (var adapter in adapters)
        {
            slots.Register(adapter, "/adapters/" + adapter);
        }

        Core = new EngineCore(profile, slots);
    }

    public EngineCore Core { get; }

    public TimeSpan Now { get; set; }

    public List<StepPlan> Steps { get; } = [];

    /// <summary>Small numbers so a test can compute every step by hand; the tool's presets are not used here.</summary>
    public static EngineProfile SmallProfile { get; } = new()
    {
        ModelName = "test/model",
        MaxModelLen = 2048,
        BlockSize = 16,
        NumGpuBlocks = 256,
        MaxNumSeqs = 4,
        MaxNumBatchedTokens = 512,
        StepOverheadMs = 2,
        PrefillMsPerToken = 0.01,
        DecodeMsPerSequence = 0.1,
        KvReadMsPer1kTokens = 0.05,
        MaxLoras = 1,
        LoraLoadMs = 10,
        MaxWaiting = 3,
    };

    /// <summary>Deterministic text of exactly <paramref name="tokens"/> tokens (4 characters each).</summary>
    public static string Text(int tokens, int seed)
    {
        var text = new StringBuilder(tokens * 4);
        var state = (uint)seed * 2654435761u + 1;
        for (var i = 0; i < tokens * 4; i++)
        {
            state = (state * 1103515245u) + 12345u;
            text.Append((char)('a' + (state >> 16) % 26));
        }

        return text.ToString();
    }

    public (Sequence Sequence, RecordingObserver Observer) Submit(string text, int outputTokens, string? adapter = null, FinishReason finish = FinishReason.Length)
    {
        var observer = new RecordingObserver();
        var prompt = PromptTokens.FromText(text, adapter, Core.Profile.CharsPerToken, Core.Profile.BlockSize);
        var sequence = new Sequence(++_nextId, prompt, adapter, outputTokens, finish, observer);
        Assert.True(Core.TrySubmit(sequence, Now), "the waiting queue refused the request");
        return (sequence, observer);
    }

    /// <summary>Plans one step, lets its duration pass and applies it; false when there was nothing to do.</summary>
    public bool Step()
    {
        if (Core.PlanStep(Now) is not { } plan)
        {
            return false;
        }

        Steps.Add(plan);
        Now += plan.Duration;
        Core.CompleteStep(Now);
        return true;
    }

    public void RunUntilIdle(int maxSteps = 10_000)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (!Step())
            {
                return;
            }
        }

        Assert.Fail($"the engine still had work after {maxSteps} steps");
    }
}
