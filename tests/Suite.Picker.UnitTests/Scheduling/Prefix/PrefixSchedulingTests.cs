using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.InFlight;
using Suite.Picker.Scheduling.Pickers;
using Suite.Picker.Scheduling.Prefix;
using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Prefix;

public sealed class PrefixSchedulingTests
{
    private static readonly ulong[] Conversation = [1, 2, 3, 4];

    private readonly FakeTimeProvider _time = new(Start);
    private readonly PoolStateStore _pool = new();
    private readonly PrefixCacheIndex _index;
    private readonly FixedProfileSource _profiles;
    private readonly Scheduler _scheduler;

    public PrefixSchedulingTests()
    {
        _index = new PrefixCacheIndex(_time);
        _profiles = new FixedProfileSource(Profile(
            new MaxScorePicker(new ScriptedRandom()),
            [
                new WeightedScorer(new QueueDepthScorer(), 2),
                new WeightedScorer(new PrefixCacheScorer(_index, PrefixCacheSettings.Default, SaturationThresholds.Default), 3),
            ]));
        _scheduler = new Scheduler(_pool, _profiles, new InFlightLoad(_time), _time);
    }

    private static SchedulingRequest Request(ulong[] hashes, bool explain = false) => new("llama", null, explain, hashes);

    private void Publish(params EndpointSnapshot[] endpoints) => _pool.Publish(Snapshot(endpoints));

    [Fact]
    public void Pick_WithPrefixHashes_RecordsThemOnThePickedEndpoint()
    {
        Publish(Endpoint(A, waiting: 1), Endpoint(B));

        _scheduler.Pick(Request(Conversation));

        Assert.Equal(4, _index.BlockCount(B));
        Assert.Equal(0, _index.BlockCount(A));
    }

    [Fact]
    public void Pick_PrefixHeldOnALightlyLoadedEndpoint_FollowsIt()
    {
        _index.Record(B, Conversation, 100);
        Publish(Endpoint(A), Endpoint(B, waiting: 1));

        // A: queue 1.0 × 2; B: queue 0 × 2 + affinity 1 × 3 (a queue of 1 is well below the guard's 4) = 3.
        var result = _scheduler.Pick(Request(Conversation, explain: true));

        Assert.Equal(B, result.Destination);
        Assert.Equal(
            $"picked={B} candidates=2; {B} total=3.000 queue-depth=0.000 prefix-cache=1.000; {A} total=2.000 queue-depth=1.000 prefix-cache=0.000",
            result.Explanation);
    }

    [Fact]
    public void Pick_PrefixHeldOnASaturatedEndpoint_GoesElsewhere()
    {
        _index.Record(B, Conversation, 100);
        Publish(Endpoint(A), Endpoint(B, waiting: 5));

        var result = _scheduler.Pick(Request(Conversation));

        Assert.Equal(A, result.Destination);
    }

    [Fact]
    public void Pick_DefaultProfile_HolderBusierOnEveryLoadFigureBelowTheGuard_KeepsTheHit()
    {
        _profiles.Current = SchedulingProfile.CreateDefault(new ScriptedRandom(), _index, SaturationThresholds.Default);
        _index.Record(B, Conversation, 100);
        Publish(Endpoint(A), Endpoint(B, waiting: 3, running: 8, kv: 0.9));

        // A wins every load scorer (2 + 2 + 1 × 1.0 = 5); B's full hit is worth 6 and B's load (3 / 5 = 0.6) is below
        // the guard's 0.8, so B keeps it: 0.1 + 6 = 6.1. Both get lora-affinity's 3 for the base model.
        var result = _scheduler.Pick(Request(Conversation));

        Assert.Equal(B, result.Destination);
    }

    [Fact]
    public void Pick_DefaultProfile_HolderSaturated_GoesToTheIdleEndpoint()
    {
        _profiles.Current = SchedulingProfile.CreateDefault(new ScriptedRandom(), _index, SaturationThresholds.Default);
        _index.Record(B, Conversation, 100);
        Publish(Endpoint(A), Endpoint(B, waiting: 5, running: 8, kv: 0.9));

        var result = _scheduler.Pick(Request(Conversation));

        Assert.Equal(A, result.Destination);
    }

    [Fact]
    public void Pick_EndpointLeftThePool_ForgetsItsPlacements()
    {
        _index.Record(C, Conversation, 100);

        Publish(Endpoint(A), Endpoint(B, waiting: 1));
        _scheduler.Pick(Request([9]));

        Assert.Equal(-1, _index.IdOf(C));
    }
}
