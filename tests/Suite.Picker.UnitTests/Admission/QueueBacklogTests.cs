using System.Collections.Immutable;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Picker.Admission;
using static Suite.Picker.UnitTests.Admission.AdmissionFixture;

namespace Suite.Picker.UnitTests.Admission;

/// <summary>While requests of the pool wait in the queue, an unsaturated pool still goes through the queue.</summary>
public sealed class QueueBacklogTests : IDisposable
{
    private readonly AdmissionFixture _fixture = new();

    [Fact]
    public async Task UnsaturatedPool_WithRequestsWaiting_TheRequestAsksTheQueue()
    {
        _fixture.PublishUnsaturatedPool();
        await DeliverAsync(version: 1, depth: 12);
        _fixture.Queue.NextCall().Send(Updates.Rejected(Suite.Contracts.Queue.RejectReason.Shed));

        var outcome = await _fixture.AdmitAsync(Criticality.Sheddable);

        Assert.Equal(AdmissionOutcome.Shed, outcome);
        Assert.Single(_fixture.Queue.Calls);
    }

    [Fact]
    public async Task QueueEmptiedAgain_AdmittedAtOnce()
    {
        _fixture.PublishUnsaturatedPool();
        await DeliverAsync(version: 1, depth: 12);
        await DeliverAsync(version: 2, depth: 0);
        await DeliverAsync(version: 1, depth: 30); // late: older than the one held

        var outcome = await _fixture.AdmitAsync();

        Assert.Equal(AdmissionOutcome.AdmittedUnsaturated, outcome);
        Assert.Empty(_fixture.Queue.Calls);
    }

    [Fact]
    public async Task BacklogNewsOlderThanMaxAge_NotTrusted()
    {
        _fixture.PublishUnsaturatedPool();
        await DeliverAsync(version: 1, depth: 12);
        _fixture.Time.Advance(QueueBacklog.MaxAge + TimeSpan.FromSeconds(1));

        var outcome = await _fixture.AdmitAsync();

        Assert.Equal(AdmissionOutcome.AdmittedUnsaturated, outcome);
    }

    [Fact]
    public async Task OtherPoolsBacklog_Ignored()
    {
        _fixture.PublishUnsaturatedPool();
        await DeliverAsync(version: 1, depth: 12, pool: "batch-pool");

        Assert.False(_fixture.Backlog.AnyWaiting);
        Assert.Equal(AdmissionOutcome.AdmittedUnsaturated, await _fixture.AdmitAsync());
    }

    public void Dispose() => _fixture.Dispose();

    private Task<Suite.Messaging.DeliveryResult> DeliverAsync(long version, int depth, string pool = "chat-pool") =>
        _fixture.Backlog.HandleAsync(
            new PoolPressureEvent(pool, 0.4, depth, ImmutableDictionary<string, int>.Empty, ImmutableDictionary<int, int>.Empty, _fixture.Time.GetUtcNow(), version),
            CancellationToken.None);
}
