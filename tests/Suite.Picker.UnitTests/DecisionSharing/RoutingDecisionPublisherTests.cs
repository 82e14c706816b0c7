using Microsoft.Extensions.Logging;
using Suite.Contracts.Routing;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.DecisionSharing;

public sealed class RoutingDecisionPublisherTests : IDisposable
{
    private readonly DecisionSharingFixture _sharing = new(batchSize: 4, maxPending: 6);

    public void Dispose() => _sharing.Dispose();

    [Fact]
    public async Task Round_FewerThanABatch_WaitsForTheIntervalThenSendsThemInOneBatch()
    {
        var round = _sharing.Publisher.RoundAsync(CancellationToken.None); // the interval starts on the fake clock now
        _sharing.Outbox.Offer(A, 64, [1, 2, 3]);
        _sharing.Outbox.Offer(B, 64, [1, 2]);

        _sharing.Time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(round.IsCompleted);
        Assert.Empty(_sharing.Bus.Batches);

        _sharing.Time.Advance(TimeSpan.FromMilliseconds(1));
        await round.WaitAsync(TimeSpan.FromSeconds(5));

        var batch = Assert.Single(_sharing.Bus.Batches);
        Assert.Equal("chat-pool", batch.Pool);
        Assert.Equal(DecisionSharingFixture.ReplicaId, batch.ReplicaId);
        Assert.Equal(Start.AddMilliseconds(50), batch.At);
        Assert.Equal([A, B], batch.Decisions.Select(d => d.Endpoint));
        Assert.Equal([1UL, 2, 3], batch.Decisions[0].DecodeHashes());
        Assert.Equal(64, batch.Decisions[0].BlockBytes);
        Assert.Equal(2, _sharing.SharedCount("published"));
    }

    [Fact]
    public async Task Round_AFullBatch_GoesOutWithoutWaitingForTheInterval()
    {
        var round = _sharing.Publisher.RoundAsync(CancellationToken.None);

        for (var i = 0; i < 4; i++)
        {
            _sharing.Outbox.Offer(A, 64, [(ulong)i]);
        }

        await round.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(4, Assert.Single(_sharing.Bus.Batches).Decisions.Length);
        Assert.Equal(Start, _sharing.Time.GetUtcNow());
    }

    [Fact]
    public async Task PublishPending_MoreThanABatch_SendsBatchesOfTheBatchSize()
    {
        for (var i = 0; i < 6; i++)
        {
            _sharing.Outbox.Offer(A, 64, [(ulong)i]);
        }

        await _sharing.Publisher.PublishPendingAsync(CancellationToken.None);

        Assert.Equal([4, 2], _sharing.Bus.Batches.Select(b => b.Decisions.Length));
        Assert.Equal(0, _sharing.Outbox.Count);
    }

    [Fact]
    public void Offer_BufferFull_DropsTheDecisionAndCountsIt()
    {
        for (var i = 0; i < 6; i++)
        {
            Assert.True(_sharing.Outbox.Offer(A, 64, [(ulong)i]));
        }

        Assert.False(_sharing.Outbox.Offer(A, 64, [99]));

        Assert.Equal(6, _sharing.Outbox.Count);
        Assert.Equal(1, _sharing.SharedCount("dropped"));
    }

    [Fact]
    public void Offer_NoHashes_IsNotQueued()
    {
        Assert.False(_sharing.Outbox.Offer(A, 64, []));

        Assert.Equal(0, _sharing.Outbox.Count);
    }

    [Fact]
    public async Task PublishPending_BusFails_DropsTheBatchAndCountsIt()
    {
        _sharing.Bus.Fail = true;
        _sharing.Outbox.Offer(A, 64, [1]);
        _sharing.Outbox.Offer(B, 64, [2]);

        await _sharing.Publisher.PublishPendingAsync(CancellationToken.None);

        Assert.Equal(0, _sharing.Outbox.Count);
        Assert.Equal(2, _sharing.SharedCount("dropped"));
    }

    [Fact]
    public async Task PublishPending_BusFailsRoundAfterRound_LogsOncePerFailingStreak()
    {
        _sharing.Bus.Fail = true;
        for (var round = 0; round < 3; round++)
        {
            _sharing.Outbox.Offer(A, 64, [1]);
            await _sharing.Publisher.PublishPendingAsync(CancellationToken.None);
        }

        _sharing.Bus.Fail = false;
        _sharing.Outbox.Offer(A, 64, [1]);
        await _sharing.Publisher.PublishPendingAsync(CancellationToken.None);
        _sharing.Bus.Fail = true;
        _sharing.Outbox.Offer(A, 64, [1]);
        await _sharing.Publisher.PublishPendingAsync(CancellationToken.None);

        Assert.Equal(
            [
                (LogLevel.Warning, "Publishing routing decisions failed (1 dropped): the sidecar is not answering; until it works again, dropped decisions are only counted (picker_prefix_shared_decisions_total{outcome=\"dropped\"})"),
                (LogLevel.Information, "Publishing routing decisions works again"),
                (LogLevel.Warning, "Publishing routing decisions failed (1 dropped): the sidecar is not answering; until it works again, dropped decisions are only counted (picker_prefix_shared_decisions_total{outcome=\"dropped\"})"),
            ],
            _sharing.Log.Collector.GetSnapshot().Select(record => (record.Level, record.Message)));
        Assert.Equal(4, _sharing.SharedCount("dropped"));
        Assert.Equal(1, _sharing.SharedCount("published"));
    }

    [Fact]
    public void Hashes_EncodedAndDecoded_AreExact()
    {
        ulong[] hashes = [0, 1, ulong.MaxValue, 0x0123_4567_89AB_CDEF];

        var decision = new RoutingDecision(A, 64, RoutingDecision.EncodeHashes(hashes));

        Assert.Equal("AAAAAAAAAAABAAAAAAAAAP//////////782riWdFIwE=", decision.BlockHashes);
        Assert.Equal(hashes, decision.DecodeHashes());
        Assert.Empty((decision with { BlockHashes = "AAAA" }).DecodeHashes());
        Assert.Empty((decision with { BlockHashes = "not base64!" }).DecodeHashes());
    }
}
