using Google.Protobuf.WellKnownTypes;
using Suite.Contracts.Catalog;
using Suite.Contracts.Queue;
using Suite.Picker.Admission;
using static Suite.Picker.UnitTests.Admission.AdmissionFixture;
using static Suite.Picker.UnitTests.Build;
using Criticality = Suite.Contracts.Catalog.Criticality;
using QueueCriticality = Suite.Contracts.Queue.Criticality;

namespace Suite.Picker.UnitTests.Admission;

/// <summary>Admission while the queue answers: unsaturated pools never ask it; saturated ones do what it says.</summary>
public sealed class AdmissionGateTests : IDisposable
{
    private readonly AdmissionFixture _fixture = new();

    [Fact]
    public async Task Admit_UnsaturatedPool_AdmitsWithoutAskingTheQueue()
    {
        _fixture.PublishUnsaturatedPool();

        var outcome = await _fixture.AdmitAsync(Criticality.Sheddable);

        Assert.Equal(AdmissionOutcome.AdmittedUnsaturated, outcome);
        Assert.Empty(_fixture.Queue.Calls);
        Assert.Equal([("admitted_unsaturated", 1)], Counts(_fixture.Decisions, "outcome"));
    }

    [Fact]
    public async Task Admit_NoPoolSnapshotYet_AdmitsWithoutAskingTheQueue()
    {
        var outcome = await _fixture.AdmitAsync();

        Assert.Equal(AdmissionOutcome.AdmittedUnsaturated, outcome);
        Assert.Empty(_fixture.Queue.Calls);
    }

    [Fact]
    public void Admit_UnsaturatedPool_AllocatesNothing()
    {
        _fixture.PublishUnsaturatedPool();
        var request = Request();
        AdmitAtOnce(request);
        _fixture.Decisions.Dispose(); // measure the path as it runs when nothing listens to this instrument

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            AdmitAtOnce(request);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Admit_SaturatedPoolQueueAdmits_AdmittedByQueue()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Queued(), Updates.Admitted());

        var outcome = await _fixture.AdmitAsync();

        Assert.Equal(AdmissionOutcome.AdmittedByQueue, outcome);
        Assert.Equal([("admitted_by_queue", 1)], Counts(_fixture.Decisions, "outcome"));
        Assert.Empty(_fixture.Fallbacks.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Admit_SaturatedPool_AsksWithTheRequestAndADeadlineMaxWaitAhead()
    {
        _fixture.PublishSaturatedPool();
        var call = _fixture.Queue.NextCall().Send(Updates.Admitted());

        await _fixture.AdmitAsync(Criticality.Sheddable);

        Assert.Equal(
            new AdmitRequest
            {
                Pool = "chat-pool",
                RequestId = "req-1",
                Criticality = QueueCriticality.Sheddable,
                FairnessId = "tenant-a",
                TargetModel = "llama",
                SizeBytes = 1234,
                Deadline = Timestamp.FromDateTimeOffset(Start + TimeSpan.FromSeconds(30)),
            },
            call.Request);
        Assert.False(call.Request!.HasPriority);
    }

    [Fact]
    public async Task Admit_KnownObjective_SendsItsPriority()
    {
        _fixture.PublishSaturatedPool();
        var call = _fixture.Queue.NextCall().Send(Updates.Admitted());

        await _fixture.AdmitAsync(objectivePriority: 7);

        Assert.True(call.Request!.HasPriority);
        Assert.Equal(7, call.Request.Priority);
    }

    [Theory]
    [InlineData(Criticality.Standard)]
    [InlineData(Criticality.Sheddable)]
    public async Task Admit_QueueFull_TurnedAway(Criticality criticality)
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Rejected(RejectReason.QueueFull));

        var outcome = await _fixture.AdmitAsync(criticality);

        Assert.Equal(AdmissionOutcome.QueueFull, outcome);
        Assert.Equal([("queue_full", 1)], Counts(_fixture.Decisions, "outcome"));
    }

    [Fact]
    public async Task Admit_QueueFullForACriticalRequest_AdmittedLocally()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Rejected(RejectReason.QueueFull));

        var outcome = await _fixture.AdmitAsync(Criticality.Critical);

        Assert.Equal(AdmissionOutcome.AdmittedLocally, outcome);
        Assert.Equal([("admitted_locally", 1)], Counts(_fixture.Decisions, "outcome"));
        Assert.Empty(_fixture.Fallbacks.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Admit_Shed_TurnedAway()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Rejected(RejectReason.Shed));

        var outcome = await _fixture.AdmitAsync(Criticality.Sheddable);

        Assert.Equal(AdmissionOutcome.Shed, outcome);
        Assert.Equal([("shed", 1)], Counts(_fixture.Decisions, "outcome"));
    }

    [Fact]
    public async Task Admit_ShedForACriticalRequest_AdmittedLocally()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Rejected(RejectReason.Shed));

        var outcome = await _fixture.AdmitAsync(Criticality.Critical, objectivePriority: -5);

        Assert.Equal(AdmissionOutcome.AdmittedLocally, outcome);
    }

    [Fact]
    public async Task Admit_Expired_Expires()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Queued(), Updates.Expired());

        var outcome = await _fixture.AdmitAsync();

        Assert.Equal(AdmissionOutcome.Expired, outcome);
        Assert.Equal([("expired", 1)], Counts(_fixture.Decisions, "outcome"));
    }

    [Fact]
    public async Task Admit_QueuedNoticeThenSilencePastTheConnectTimeout_KeepsWaitingForTheAnswer()
    {
        _fixture.PublishSaturatedPool();
        var call = _fixture.Queue.NextCall().Send(Updates.Queued());

        var pending = _fixture.AdmitAsync();
        _fixture.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(pending.IsCompleted);
        call.Send(Updates.Admitted());

        Assert.Equal(AdmissionOutcome.AdmittedByQueue, await pending);
    }

    [Fact]
    public async Task Admit_CallerCancelsWhileQueued_CancelsTheQueueCallAndThrows()
    {
        _fixture.PublishSaturatedPool();
        var call = _fixture.Queue.NextCall().Send(Updates.Queued());
        using var exchange = new CancellationTokenSource();

        var pending = _fixture.AdmitAsync(cancellationToken: exchange.Token);
        await exchange.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.True(call.Token.IsCancellationRequested);
        Assert.Empty(_fixture.Decisions.GetMeasurementSnapshot());
    }

    public void Dispose() => _fixture.Dispose();

    private AdmissionOutcome AdmitAtOnce(AdmissionRequest request)
    {
        var pending = _fixture.Gate.AdmitAsync(request, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("Admission did not decide at once.");
    }
}
