namespace Suite.ModelSim.Engine;

/// <summary>
/// The engine's scheduler and state, without time: <see cref="PlanStep"/> decides what the next batching step
/// computes and how long it takes, <see cref="CompleteStep"/> applies its results when that time has passed.
/// Not thread-safe; <see cref="EngineLoop"/> owns it and serialises every call. The algorithm follows vLLM's
/// V1 scheduler (README, "Engine model"): running sequences first in admission order, preempting the newest when
/// blocks run out; then waiting ones in arrival order while the token budget, the batch size, the KV blocks and
/// the LoRA slots allow.
/// </summary>
internal sealed class EngineCore
{
    private readonly EngineProfile _profile;
    private readonly KvBlockPool _blocks;
    private readonly List<Sequence> _waiting = [];
    private readonly List<Sequence> _running = [];
    private readonly List<ScheduledWork> _step = [];
    private readonly List<Sequence> _finished = [];

    public EngineCore(EngineProfile profile, AdapterSlots adapters)
    {
        _profile = profile;
        _blocks = new KvBlockPool(profile.NumGpuBlocks);
        Adapters = adapters;
        Telemetry = new EngineTelemetry();
    }

    public EngineProfile Profile => _profile;

    public AdapterSlots Adapters { get; }

    public EngineTelemetry Telemetry { get; }

    public int WaitingCount => _waiting.Count;

    public int RunningCount => _running.Count;

    public double KvCacheUsage => _blocks.Usage;

    public int CachedBlockCount => _blocks.CachedBlockCount;

    public bool HasWork => _waiting.Count > 0 || _running.Count > 0;

    public bool StepInProgress => _step.Count > 0;

    public IEnumerable<string> WaitingAdapters => _waiting.Where(s => s.Adapter is not null).Select(s => s.Adapter!).Distinct();

    public IEnumerable<string> RunningAdapters => Adapters.Running;

    /// <summary>Queues a request; false when the waiting queue is full.</summary>
    public bool TrySubmit(Sequence sequence, TimeSpan now)
    {
        if (_waiting.Count >= _profile.MaxWaiting)
        {
            return false;
        }

        sequence.ArrivedAt = now;
        sequence.State = SequenceState.Waiting;
        _waiting.Add(sequence);
        return true;
    }

    /// <summary>Removes a request whose client went away, at once; its blocks are freed.</summary>
    public void Cancel(Sequence sequence, TimeSpan now)
    {
        switch (sequence.State)
        {
            case SequenceState.Waiting:
                _waiting.Remove(sequence);
                break;
            case SequenceState.Running:
                StopRunning(sequence);
                break;
            default:
                return;
        }

        sequence.State = SequenceState.Cancelled;
        Telemetry.RecordFinished(FinishReason.Abort);
        sequence.Observer.OnFinished(FinishReason.Abort, sequence.CachedPromptTokens, now);
    }

    /// <summary>Plans the next step; null when there is nothing to compute.</summary>
    public StepPlan? PlanStep(TimeSpan now)
    {
        _step.Clear();
        var budget = _profile.MaxNumBatchedTokens;
        var preempted = false;

        for (var i = 0; i < _running.Count && budget > 0; i++)
        {
            var sequence = _running[i];
            var tokens = Math.Min(sequence.TotalTokens - sequence.ComputedTokens, budget);
            if (!TryGrow(sequence, tokens, ref preempted))
            {
                break; // the sequence preempted itself: everything after it was preempted first
            }

            _step.Add(new ScheduledWork(sequence, tokens));
            budget -= tokens;
        }

        var loraLoads = 0;
        // A step that had to preempt admits nothing: the blocks it freed belong to the sequences still running.
        for (var i = 0; !preempted && i < _waiting.Count && budget > 0 && _running.Count < _profile.MaxNumSeqs;)
        {
            var sequence = _waiting[i];
            if (sequence.Adapter is { } adapter && !Adapters.CanRun(adapter))
            {
                i++; // skipped, keeps its place; later requests for running adapters may go ahead
                continue;
            }

            if (!TryAdmit(sequence, budget, now, out var tokens))
            {
                break; // head-of-line: the oldest admissible request waits for blocks
            }

            _waiting.RemoveAt(i);
            _running.Add(sequence);
            sequence.State = SequenceState.Running;
            if (sequence.Adapter is { } started && Adapters.Start(started))
            {
                loraLoads++;
            }

            _step.Add(new ScheduledWork(sequence, tokens));
            budget -= tokens;
        }

        return _step.Count == 0 ? null : Cost(loraLoads);
    }

    /// <summary>Applies the planned step: computed tokens, newly cached blocks, sampled tokens, finished requests.</summary>
    public void CompleteStep(TimeSpan now)
    {
        foreach (var (sequence, tokens) in _step)
        {
            if (sequence.State != SequenceState.Running)
            {
                continue; // cancelled or preempted while the step ran
            }

            var wasPrefilled = sequence.ComputedTokens >= sequence.Prompt.Count;
            sequence.ComputedTokens += tokens;
            PublishComputedPromptBlocks(sequence, wasPrefilled);
            if (sequence.ComputedTokens < sequence.TotalTokens)
            {
                continue; // a prefill chunk; more of the prompt to go
            }

            sequence.OutputTokens++;
            Telemetry.GenerationTokens++;
            if (sequence.OutputTokens == 1)
            {
                sequence.FirstTokenAt = now;
                Telemetry.TimeToFirstToken.Observe((now - sequence.ArrivedAt).TotalSeconds);
            }

            sequence.Observer.OnToken(sequence.OutputTokens - 1, now);
            if (sequence.OutputTokens == sequence.TargetOutputTokens)
            {
                _finished.Add(sequence);
            }
        }

        _step.Clear();
        foreach (var sequence in _finished)
        {
            Finish(sequence, now);
        }

        _finished.Clear();
    }

    private StepPlan Cost(int loraLoads)
    {
        var prefillTokens = 0;
        var decodingSequences = 0;
        long contextTokens = 0;
        foreach (var (sequence, tokens) in _step)
        {
            if (tokens == 1 && sequence.OutputTokens > 0 && sequence.ComputedTokens == sequence.TotalTokens - 1)
            {
                decodingSequences++;
            }
            else
            {
                prefillTokens += tokens;
            }

            contextTokens += sequence.ComputedTokens + tokens;
        }

        var milliseconds = _profile.StepOverheadMs
            + (prefillTokens * _profile.PrefillMsPerToken)
            + (decodingSequences * _profile.DecodeMsPerSequence)
            + (contextTokens / 1000.0 * _profile.KvReadMsPer1kTokens)
            + (loraLoads * _profile.LoraLoadMs);
        return new StepPlan(TimeSpan.FromMilliseconds(milliseconds), _step.Count, prefillTokens, decodingSequences, contextTokens, loraLoads);
    }

    /// <summary>Gives a running sequence the blocks for its next tokens, preempting the newest sequences if needed.</summary>
    private bool TryGrow(Sequence sequence, int tokens, ref bool preempted)
    {
        var needed = BlocksFor(sequence.ComputedTokens + tokens) - sequence.Blocks.Count;
        while (needed > _blocks.FreeCount)
        {
            var victim = _running[^1];
            Preempt(victim);
            preempted = true;
            if (victim == sequence)
            {
                return false;
            }
        }

        return needed <= 0 || _blocks.TryAllocate(needed, sequence.Blocks);
    }

    private bool TryAdmit(Sequence sequence, int budget, TimeSpan now, out int tokens)
    {
        // At least the last token is always computed, so a fully cached prompt still yields its first token.
        var hitBlocks = _profile.EnablePrefixCaching
            ? _blocks.CountResidentPrefix(sequence.Prompt.BlockHashes, (sequence.TotalTokens - 1) / _profile.BlockSize)
            : 0;
        var computed = hitBlocks * _profile.BlockSize;
        tokens = Math.Min(sequence.TotalTokens - computed, budget);
        var newBlocks = BlocksFor(computed + tokens) - hitBlocks;
        if (newBlocks > _blocks.FreeCount - ResidentButFree(sequence, hitBlocks))
        {
            return false;
        }

        for (var i = 0; i < hitBlocks; i++)
        {
            sequence.Blocks.Add(_blocks.AcquireResident(sequence.Prompt.BlockHashes[i]));
        }

        _blocks.TryAllocate(newBlocks, sequence.Blocks);
        sequence.ComputedTokens = computed;
        Telemetry.PrefixCacheQueries += sequence.TotalTokens;
        Telemetry.PrefixCacheHits += computed;
        if (!sequence.EverScheduled)
        {
            sequence.EverScheduled = true;
            sequence.CachedPromptTokens = computed;
            sequence.FirstScheduledAt = now;
            Telemetry.PromptTokens += sequence.Prompt.Count;
            Telemetry.QueueTime.Observe((now - sequence.ArrivedAt).TotalSeconds);
        }

        return true;
    }

    /// <summary>Cached blocks the admission will take off the free queue: they cannot also serve as new blocks.</summary>
    private int ResidentButFree(Sequence sequence, int hitBlocks)
    {
        var count = 0;
        for (var i = 0; i < hitBlocks; i++)
        {
            if (_blocks.IsFree(sequence.Prompt.BlockHashes[i]))
            {
                count++;
            }
        }

        return count;
    }

    private void PublishComputedPromptBlocks(Sequence sequence, bool wasPrefilled)
    {
        if (wasPrefilled || !_profile.EnablePrefixCaching)
        {
            return;
        }

        var hashes = sequence.Prompt.BlockHashes;
        var complete = Math.Min(sequence.ComputedTokens / _profile.BlockSize, hashes.Length);
        for (var i = 0; i < complete; i++)
        {
            _blocks.Publish(sequence.Blocks[i], hashes[i]);
        }
    }

    private void Preempt(Sequence sequence)
    {
        StopRunning(sequence);
        sequence.ComputedTokens = 0;
        sequence.State = SequenceState.Waiting;
        _waiting.Insert(0, sequence);
        Telemetry.Preemptions++;
    }

    private void Finish(Sequence sequence, TimeSpan now)
    {
        StopRunning(sequence);
        sequence.State = SequenceState.Finished;
        var reason = sequence.FinishAtTarget;
        Telemetry.RecordFinished(reason);
        Telemetry.EndToEndLatency.Observe((now - sequence.ArrivedAt).TotalSeconds);
        if (sequence.OutputTokens > 1)
        {
            Telemetry.TimePerOutputToken.Observe((now - sequence.FirstTokenAt).TotalSeconds / (sequence.OutputTokens - 1));
        }

        sequence.Observer.OnFinished(reason, sequence.CachedPromptTokens, now);
    }

    private void StopRunning(Sequence sequence)
    {
        _running.Remove(sequence);
        _blocks.Release(sequence.Blocks);
        if (sequence.Adapter is { } adapter)
        {
            Adapters.Stop(adapter);
        }
    }

    private int BlocksFor(int tokens) => tokens <= 0 ? 0 : ((tokens - 1) / _profile.BlockSize) + 1;
}

internal readonly record struct ScheduledWork(Sequence Sequence, int Tokens);

/// <summary>What one step computes and how long it takes (before any speed-up or slow-down).</summary>
internal readonly record struct StepPlan(
    TimeSpan Duration, int Sequences, int PrefillTokens, int DecodingSequences, long ContextTokens, int LoraLoads);
