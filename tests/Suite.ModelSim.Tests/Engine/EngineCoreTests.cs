using Suite.ModelSim.Engine;

namespace Suite.ModelSim.Tests.Engine;

public class EngineCoreTests
{
    private static readonly string Prompt100 = EngineDriver.Text(100, seed: 1);

    [Fact]
    public void Steps_OneRequest_LastAsTheCostFormulaSays()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        var (_, observer) = engine.Submit(Prompt100, outputTokens: 3);

        engine.RunUntilIdle();

        // Prefill of 100 tokens, then two decode steps over 101 and 102 context tokens.
        Assert.Equal(3, engine.Steps.Count);
        Assert.Equal((100, 0, 100L), (engine.Steps[0].PrefillTokens, engine.Steps[0].DecodingSequences, engine.Steps[0].ContextTokens));
        Assert.Equal((0, 1, 101L), (engine.Steps[1].PrefillTokens, engine.Steps[1].DecodingSequences, engine.Steps[1].ContextTokens));
        Assert.Equal(2 + (100 * 0.01) + (100 * 0.05 / 1000), engine.Steps[0].Duration.TotalMilliseconds, 0.0001);
        Assert.Equal(2 + 0.1 + (101 * 0.05 / 1000), engine.Steps[1].Duration.TotalMilliseconds, 0.0001);
        Assert.Equal([0, 1, 2], observer.Tokens.Select(t => t.Index));
        Assert.Equal(3.005, observer.FirstTokenAt.TotalMilliseconds, 0.0001);
        Assert.Equal(FinishReason.Length, observer.Finished);
        Assert.Equal(3, engine.Core.Telemetry.GenerationTokens);
        Assert.Equal(100, engine.Core.Telemetry.PromptTokens);
        Assert.Equal(1, engine.Core.Telemetry.FinishedLength);
    }

    [Fact]
    public void KvCacheUsage_RisesWithARequestAndFallsWhenItFinishes()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        engine.Submit(Prompt100, outputTokens: 20);

        engine.Step();
        var afterPrefill = engine.Core.KvCacheUsage;
        engine.RunUntilIdle();

        Assert.Equal(7.0 / 256, afterPrefill, 1e-12); // 101 tokens in blocks of 16
        Assert.Equal(0, engine.Core.KvCacheUsage);
        Assert.Equal(6, engine.Core.CachedBlockCount); // the prompt's 6 full blocks stay findable
    }

    [Fact]
    public void Admission_RepeatedPrompt_ReusesResidentBlocksAndReachesTheFirstTokenSooner()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        var (_, first) = engine.Submit(Prompt100, outputTokens: 1);
        engine.RunUntilIdle();
        var secondStart = engine.Now;
        var (_, second) = engine.Submit(Prompt100, outputTokens: 1);
        engine.RunUntilIdle();

        Assert.Equal(0, first.CachedPromptTokens);
        Assert.Equal(96, second.CachedPromptTokens);
        Assert.Equal(3.005, first.FirstTokenAt.TotalMilliseconds, 0.0001);
        Assert.Equal(2 + (4 * 0.01) + (100 * 0.05 / 1000), (second.FirstTokenAt - secondStart).TotalMilliseconds, 0.0001);
        Assert.Equal(200, engine.Core.Telemetry.PrefixCacheQueries);
        Assert.Equal(96, engine.Core.Telemetry.PrefixCacheHits);
    }

    [Fact]
    public void Admission_RepeatedPromptOnAnotherServer_FindsNothingCached()
    {
        var one = new EngineDriver(EngineDriver.SmallProfile);
        var other = new EngineDriver(EngineDriver.SmallProfile);
        one.Submit(Prompt100, outputTokens: 1);
        one.RunUntilIdle();

        var (_, observer) = other.Submit(Prompt100, outputTokens: 1);
        other.RunUntilIdle();

        Assert.Equal(0, observer.CachedPromptTokens);
    }

    [Fact]
    public void Admission_SamePromptUnderAnAdapter_SharesNoBlocksWithTheBaseModel()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile, "sql-lora");
        engine.Submit(Prompt100, outputTokens: 1);
        engine.RunUntilIdle();

        var (_, observer) = engine.Submit(Prompt100, outputTokens: 1, adapter: "sql-lora");
        engine.RunUntilIdle();

        Assert.Equal(0, observer.CachedPromptTokens);
    }

    [Fact]
    public void Admission_FullyCachedPrompt_StillComputesItsLastBlock()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        var prompt96 = EngineDriver.Text(96, seed: 2);
        engine.Submit(prompt96, outputTokens: 1);
        engine.RunUntilIdle();

        var (_, observer) = engine.Submit(prompt96, outputTokens: 1);
        engine.RunUntilIdle();

        Assert.Equal(80, observer.CachedPromptTokens);
    }

    [Fact]
    public void Eviction_FreedPrefixSurvivesWhileUnusedBlocksRemainAndGoesWhenItsBlocksAreReused()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile with { NumGpuBlocks = 16, MaxModelLen = 256 });
        var shared = EngineDriver.Text(96, seed: 3);
        engine.Submit(shared, outputTokens: 1);
        engine.RunUntilIdle();
        engine.Submit(EngineDriver.Text(160, seed: 4), outputTokens: 1); // takes the 10 never-used blocks
        engine.RunUntilIdle();
        var (_, stillCached) = engine.Submit(shared, outputTokens: 1);
        engine.RunUntilIdle();
        engine.Submit(EngineDriver.Text(256, seed: 5), outputTokens: 1); // needs all 16 blocks
        engine.RunUntilIdle();

        var (_, evicted) = engine.Submit(shared, outputTokens: 1);
        engine.RunUntilIdle();

        Assert.Equal(80, stillCached.CachedPromptTokens);
        Assert.Equal(0, evicted.CachedPromptTokens);
    }

    [Fact]
    public void Admission_LongPrompt_IsPrefilledInChunksOfTheTokenBudget()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        var (_, observer) = engine.Submit(EngineDriver.Text(1000, seed: 6), outputTokens: 1);

        engine.Step();
        var tokensAfterFirstChunk = observer.Tokens.Count;
        engine.RunUntilIdle();

        Assert.Equal([512, 488], engine.Steps.Select(s => s.PrefillTokens));
        Assert.Equal(0, tokensAfterFirstChunk);
        Assert.Single(observer.Tokens);
    }

    [Fact]
    public void Admission_BatchFull_LeavesTheRestWaiting()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile with { MaxWaiting = 10 });
        for (var i = 0; i < 6; i++)
        {
            engine.Submit(EngineDriver.Text(20, seed: 10 + i), outputTokens: 5);
        }

        engine.Step();

        Assert.Equal(4, engine.Core.RunningCount);
        Assert.Equal(2, engine.Core.WaitingCount);
    }

    [Fact]
    public void TrySubmit_WaitingQueueFull_Refuses()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        for (var i = 0; i < 3; i++)
        {
            engine.Submit(Prompt100, outputTokens: 1);
        }

        var refused = engine.Core.TrySubmit(
            new Sequence(99, PromptTokens.FromText(Prompt100, null, 4, 16), null, 1, FinishReason.Length, new RecordingObserver()), engine.Now);

        Assert.False(refused);
        Assert.Equal(3, engine.Core.WaitingCount);
    }

    [Fact]
    public void LoraSlots_AnotherAdapterWaitsUntilTheRunningOneDrains()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile, "sql-lora", "code-lora");
        var (_, sql) = engine.Submit(EngineDriver.Text(32, seed: 7), outputTokens: 3, adapter: "sql-lora");
        var (_, code) = engine.Submit(EngineDriver.Text(32, seed: 8), outputTokens: 1, adapter: "code-lora");
        var (_, plain) = engine.Submit(EngineDriver.Text(32, seed: 9), outputTokens: 1);

        engine.Step();
        var running = engine.Core.RunningAdapters.ToArray();
        var waiting = engine.Core.WaitingAdapters.ToArray();
        engine.RunUntilIdle();

        Assert.Equal(["sql-lora"], running);
        Assert.Equal(["code-lora"], waiting);
        Assert.Equal(1, engine.Steps[0].LoraLoads);
        Assert.Equal(plain.FirstTokenAt, sql.FirstTokenAt); // the base-model request went ahead of code-lora
        Assert.True(code.FirstTokenAt > sql.FinishedAt);
        Assert.Equal(1, engine.Steps[3].LoraLoads); // code-lora loaded in the step after sql-lora finished
        Assert.Equal(2 + (32 * 0.01) + (32 * 0.05 / 1000) + 10, engine.Steps[3].Duration.TotalMilliseconds, 0.0001);
    }

    [Fact]
    public void Preemption_KvCacheFull_NewestSequenceIsRecomputedAndBothFinish()
    {
        // 8 blocks of 16 tokens; two requests of 48 + 40 tokens need 6 blocks each at the end.
        var engine = new EngineDriver(EngineDriver.SmallProfile with { NumGpuBlocks = 8, MaxModelLen = 128 });
        var (older, olderObserver) = engine.Submit(EngineDriver.Text(48, seed: 11), outputTokens: 40);
        var (newer, newerObserver) = engine.Submit(EngineDriver.Text(48, seed: 12), outputTokens: 40);

        engine.RunUntilIdle();

        Assert.Equal(1, engine.Core.Telemetry.Preemptions);
        Assert.Equal(Enumerable.Range(0, 40), olderObserver.Tokens.Select(t => t.Index));
        Assert.Equal(Enumerable.Range(0, 40), newerObserver.Tokens.Select(t => t.Index));
        Assert.True(newerObserver.FinishedAt > olderObserver.FinishedAt);
        Assert.Equal((SequenceState.Finished, SequenceState.Finished), (older.State, newer.State));
        Assert.Equal(0, engine.Core.KvCacheUsage);
    }

    [Fact]
    public void Cancel_RunningRequest_FreesItsBlocksAndReportsAbort()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        var (sequence, observer) = engine.Submit(Prompt100, outputTokens: 50);
        engine.Step();

        engine.Core.Cancel(sequence, engine.Now);

        Assert.Equal(FinishReason.Abort, observer.Finished);
        Assert.Equal(0, engine.Core.KvCacheUsage);
        Assert.Equal(0, engine.Core.RunningCount);
        Assert.Equal(1, engine.Core.Telemetry.FinishedAbort);
        Assert.False(engine.Step());
    }

    [Fact]
    public void Cancel_DuringAStep_TheStepSkipsTheRequest()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        var (sequence, observer) = engine.Submit(Prompt100, outputTokens: 5);
        Assert.NotNull(engine.Core.PlanStep(engine.Now));

        engine.Core.Cancel(sequence, engine.Now);
        engine.Core.CompleteStep(engine.Now + TimeSpan.FromMilliseconds(3));

        Assert.Empty(observer.Tokens);
        Assert.Equal(SequenceState.Cancelled, sequence.State);
    }

    [Fact]
    public void Telemetry_RecordsTtftQueueTimeAndTimePerOutputToken()
    {
        var engine = new EngineDriver(EngineDriver.SmallProfile);
        engine.Submit(Prompt100, outputTokens: 3);

        engine.RunUntilIdle();

        var telemetry = engine.Core.Telemetry;
        Assert.Equal(0.003005, telemetry.TimeToFirstToken.Sum, 1e-9);
        Assert.Equal(0, telemetry.QueueTime.Sum);
        Assert.Equal((engine.Steps[1].Duration + engine.Steps[2].Duration).TotalSeconds / 2, telemetry.TimePerOutputToken.Sum, 1e-9);
        Assert.Equal(engine.Now.TotalSeconds, telemetry.EndToEndLatency.Sum, 1e-9);
    }
}
