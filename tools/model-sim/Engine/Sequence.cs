namespace Suite.ModelSim.Engine;

internal enum SequenceState
{
    Waiting,
    Running,
    Finished,
    Cancelled,
}

/// <summary>Why a sequence stopped producing tokens (vLLM's <c>finished_reason</c> label).</summary>
internal enum FinishReason
{
    Length,
    Stop,
    Abort,
}

/// <summary>
/// One request inside the engine. Its tokens are the prompt followed by what it generated so far; the engine
/// computes their KV entries in steps (<see cref="ComputedTokens"/>) and samples a new token whenever all of
/// them are computed. Preemption drops the computed state, not the generated tokens.
/// </summary>
internal sealed class Sequence
{
    public Sequence(long id, PromptTokens prompt, string? adapter, int outputTokens, FinishReason finishAtTarget, ISequenceObserver observer)
    {
        Id = id;
        Prompt = prompt;
        Adapter = adapter;
        TargetOutputTokens = outputTokens;
        FinishAtTarget = finishAtTarget;
        Observer = observer;
    }

    public long Id { get; }

    public PromptTokens Prompt { get; }

    /// <summary>The LoRA adapter the request runs under, or null for the base model.</summary>
    public string? Adapter { get; }

    /// <summary>Tokens to generate before finishing.</summary>
    public int TargetOutputTokens { get; }

    /// <summary>The finish reason when <see cref="TargetOutputTokens"/> is reached: length (max_tokens) or stop (EOS).</summary>
    public FinishReason FinishAtTarget { get; }

    public ISequenceObserver Observer { get; }

    public SequenceState State { get; set; } = SequenceState.Waiting;

    public int OutputTokens { get; set; }

    public int ComputedTokens { get; set; }

    /// <summary>Prompt tokens found in the prefix cache when the request was first scheduled.</summary>
    public int CachedPromptTokens { get; set; }

    public bool EverScheduled { get; set; }

    public List<int> Blocks { get; } = [];

    public TimeSpan ArrivedAt { get; set; }

    public TimeSpan FirstScheduledAt { get; set; }

    public TimeSpan FirstTokenAt { get; set; }

    public int TotalTokens => Prompt.Count + OutputTokens;
}

/// <summary>Receives a sequence's progress. Called on the engine's thread, under its lock: must not block.</summary>
internal interface ISequenceObserver
{
    void OnToken(int outputIndex, TimeSpan at);

    void OnFinished(FinishReason reason, int cachedPromptTokens, TimeSpan at);
}
