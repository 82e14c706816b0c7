using Grpc.Core;
using Microsoft.Extensions.Logging;
using Suite.Contracts.Catalog;
using Criticality = Suite.Contracts.Catalog.Criticality;
using Suite.Contracts.Queue;
using Suite.Picker.Admission;
using static Suite.Picker.UnitTests.Admission.AdmissionFixture;

namespace Suite.Picker.UnitTests.Admission;

/// <summary>
/// A saturated pool with no queue to ask, or a queue that fails: the picker decides itself (sheddable turned
/// away, everything else admitted), counts why, and logs the change of state once each way.
/// </summary>
public sealed class AdmissionFallbackTests : IDisposable
{
    private static readonly RpcException Refused = new(new Status(StatusCode.Unavailable, "Error connecting to subchannel."));

    private readonly AdmissionFixture _fixture = new();

    [Fact]
    public async Task Admit_QueueUnreachable_ShedsSheddableAndAdmitsStandard()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().FailWith(Refused);
        _fixture.Queue.NextCall().FailWith(Refused);

        var sheddable = await _fixture.AdmitAsync(Criticality.Sheddable);
        var standard = await _fixture.AdmitAsync(Criticality.Standard);

        Assert.Equal((AdmissionOutcome.Shed, AdmissionOutcome.AdmittedLocally), (sheddable, standard));
        Assert.Equal([("unavailable", 2)], Counts(_fixture.Fallbacks, "reason"));
        Assert.Equal([("admitted_locally", 1), ("shed", 1)], Counts(_fixture.Decisions, "outcome"));
    }

    [Fact]
    public async Task Admit_NegativeKnownObjectiveWhileQueueUnreachable_Shed()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().FailWith(Refused);

        var outcome = await _fixture.AdmitAsync(Criticality.Standard, objectivePriority: -1);

        Assert.Equal(AdmissionOutcome.Shed, outcome);
    }

    [Fact]
    public async Task Admit_CriticalWithNegativeObjectiveWhileQueueUnreachable_Admitted()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().FailWith(Refused);

        var outcome = await _fixture.AdmitAsync(Criticality.Critical, objectivePriority: -1);

        Assert.Equal(AdmissionOutcome.AdmittedLocally, outcome);
    }

    [Fact]
    public async Task Admit_QueueKeepsFailing_LogsOneWarning()
    {
        _fixture.PublishSaturatedPool();
        for (var i = 0; i < 3; i++)
        {
            _fixture.Queue.NextCall().FailWith(Refused);
            await _fixture.AdmitAsync();
        }

        var warning = Assert.Single(_fixture.Logger.Collector.GetSnapshot(), record => record.Level == LogLevel.Warning);
        Assert.Equal(
            "The admission queue failed (unavailable: Unavailable: Error connecting to subchannel.); until it answers again the picker admits saturated-pool requests itself: sheddable ones get 429, the others are routed",
            warning.Message);
    }

    [Fact]
    public async Task Admit_QueueAnswersAgain_LogsOneInformationLineAndAsksItAgain()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().FailWith(Refused);
        _fixture.Queue.NextCall().Send(Updates.Admitted());
        _fixture.Queue.NextCall().Send(Updates.Admitted());

        await _fixture.AdmitAsync();
        var second = await _fixture.AdmitAsync();
        await _fixture.AdmitAsync();

        Assert.Equal(AdmissionOutcome.AdmittedByQueue, second);
        Assert.Equal(
            [(LogLevel.Warning, "The admission queue failed (unavailable: Unavailable: Error connecting to subchannel.); until it answers again the picker admits saturated-pool requests itself: sheddable ones get 429, the others are routed"),
             (LogLevel.Information, "The admission queue answers again; saturated-pool requests wait in it as before")],
            _fixture.Logger.Collector.GetSnapshot()
                .Where(record => record.Level >= LogLevel.Information)
                .Select(record => (record.Level, record.Message)));
    }

    [Fact]
    public async Task Admit_QueueNeverAnswers_FallsBackAfterTheConnectTimeout()
    {
        _fixture.PublishSaturatedPool();

        var pending = _fixture.AdmitAsync(Criticality.Sheddable);
        _fixture.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(pending.IsCompleted);
        _fixture.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(AdmissionOutcome.Shed, await pending);
        Assert.True(Assert.Single(_fixture.Queue.Calls).Token.IsCancellationRequested);
        Assert.Equal([("timeout", 1)], Counts(_fixture.Fallbacks, "reason"));
    }

    [Fact]
    public async Task Admit_QueuedThenNoFinalAnswer_FallsBackAtTheDeadlinePlusGrace()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Queued());

        var pending = _fixture.AdmitAsync(Criticality.Standard);
        _fixture.Time.Advance(TimeSpan.FromSeconds(32) - TimeSpan.FromMilliseconds(1));
        Assert.False(pending.IsCompleted);
        _fixture.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(AdmissionOutcome.AdmittedLocally, await pending);
        Assert.Equal([("timeout", 1)], Counts(_fixture.Fallbacks, "reason"));
    }

    [Fact]
    public async Task Admit_WrongShard_FallsBackAndSaysWhichReplicaOwnsThePool()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Rejected(RejectReason.WrongShard, "pool chat-pool belongs to replica 2 of 3"));

        var outcome = await _fixture.AdmitAsync(Criticality.Sheddable);

        Assert.Equal(AdmissionOutcome.Shed, outcome);
        Assert.Equal([("wrong_shard", 1)], Counts(_fixture.Fallbacks, "reason"));
        Assert.Contains(
            "the replica asked does not own the pool: pool chat-pool belongs to replica 2 of 3",
            Assert.Single(_fixture.Logger.Collector.GetSnapshot(), record => record.Level == LogLevel.Warning).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admit_EveryReplyIsWrongShard_LogsOneWarningAndNoRecovery()
    {
        _fixture.PublishSaturatedPool();
        for (var i = 0; i < 3; i++)
        {
            _fixture.Queue.NextCall().Send(Updates.Rejected(RejectReason.WrongShard, "pool chat-pool belongs to replica 2 of 3"));
            await _fixture.AdmitAsync();
        }

        Assert.Equal((1, 0), (_fixture.LoggedAt(LogLevel.Warning), _fixture.LoggedAt(LogLevel.Information)));
        Assert.Equal([("wrong_shard", 3)], Counts(_fixture.Fallbacks, "reason"));
    }

    [Fact]
    public async Task Admit_CallEndsWithoutAFinalAnswer_FallsBack()
    {
        _fixture.PublishSaturatedPool();
        _fixture.Queue.NextCall().Send(Updates.Queued()).End();

        var outcome = await _fixture.AdmitAsync();

        Assert.Equal(AdmissionOutcome.AdmittedLocally, outcome);
        Assert.Equal([("bad_answer", 1)], Counts(_fixture.Fallbacks, "reason"));
    }

    [Fact]
    public async Task Admit_NoQueueConfigured_DecidesLocallyWithoutLogging()
    {
        using var fixture = new AdmissionFixture(queueConfigured: false);
        fixture.PublishSaturatedPool();

        var sheddable = await fixture.AdmitAsync(Criticality.Sheddable);
        var critical = await fixture.AdmitAsync(Criticality.Critical);

        Assert.Equal((AdmissionOutcome.Shed, AdmissionOutcome.AdmittedLocally), (sheddable, critical));
        Assert.Empty(fixture.Queue.Calls);
        Assert.Equal([("no_queue", 2)], Counts(fixture.Fallbacks, "reason"));
        Assert.Equal(0, fixture.LoggedAt(LogLevel.Warning) + fixture.LoggedAt(LogLevel.Information));
    }

    public void Dispose() => _fixture.Dispose();
}
