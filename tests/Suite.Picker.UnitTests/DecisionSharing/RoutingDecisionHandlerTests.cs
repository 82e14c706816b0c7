using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Flow;
using Suite.Contracts.Routing;
using Suite.Messaging;
using Suite.Picker.DecisionSharing;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Pickers;
using Suite.Picker.Scheduling.Prefix;
using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.DecisionSharing;

public sealed class RoutingDecisionHandlerTests : IDisposable
{
    private readonly DecisionSharingFixture _sharing = new();
    private readonly PrefixCacheIndex _index = new(new FakeTimeProvider(Start));
    private readonly RoutingDecisionHandler _handler;

    public RoutingDecisionHandlerTests()
    {
        var profile = Profile(
            new MaxScorePicker(new ScriptedRandom()),
            [new WeightedScorer(new PrefixCacheScorer(_index, PrefixCacheSettings.Default with { MaxBlocks = 3 }, SaturationThresholds.Default), 3)]);
        _handler = new RoutingDecisionHandler(_sharing.Identity, new FixedProfileSource(profile), _sharing.Pool, _sharing.Metrics);
        _sharing.Pool.Publish(Snapshot(Endpoint(A), Endpoint(B)) with { PoolName = "chat-pool" });
    }

    public void Dispose() => _sharing.Dispose();

    private static RoutingDecisionBatch Batch(string replica, params RoutingDecision[] decisions) =>
        new("chat-pool", replica, Start, [.. decisions]);

    private static RoutingDecision Decision(string endpoint, ulong[] hashes, int blockBytes = 64) =>
        new(endpoint, blockBytes, RoutingDecision.EncodeHashes(hashes));

    [Fact]
    public async Task Handle_PeersDecision_IsRecordedInTheIndex()
    {
        var result = await _handler.HandleAsync(Batch("picker-b", Decision(A, [1, 2]), Decision(B, [7])), CancellationToken.None);

        Assert.Equal(DeliveryResult.Success, result);
        Assert.Equal(2, _index.BlockCount(A));
        Assert.Equal(1, _index.BlockCount(B));
        Assert.Equal(2, _sharing.SharedCount("received"));
    }

    [Fact]
    public async Task Handle_OwnBatch_IsIgnored()
    {
        await _handler.HandleAsync(Batch(DecisionSharingFixture.ReplicaId, Decision(A, [1, 2])), CancellationToken.None);

        Assert.Equal(0, _index.BlockCount(A));
    }

    [Fact]
    public async Task Handle_OtherPool_IsIgnored()
    {
        await _handler.HandleAsync(Batch("picker-b", Decision(A, [1])) with { Pool = "other-pool" }, CancellationToken.None);

        Assert.Equal(0, _index.BlockCount(A));
    }

    [Fact]
    public async Task Handle_OtherBlockSizeOrUnknownEndpoint_IsSkipped()
    {
        await _handler.HandleAsync(
            Batch("picker-b", Decision(A, [1], blockBytes: 128), Decision(C, [1]), Decision(B, [5])), CancellationToken.None);

        Assert.Equal(0, _index.BlockCount(A));
        Assert.Equal(-1, _index.IdOf(C));
        Assert.Equal(1, _sharing.SharedCount("received"));
    }

    [Fact]
    public async Task Handle_MoreHashesThanMaxBlocks_KeepsTheLeadingOnes()
    {
        await _handler.HandleAsync(Batch("picker-b", Decision(A, [1, 2, 3, 4, 5])), CancellationToken.None);

        Assert.Equal(3, _index.BlockCount(A));
    }
}
