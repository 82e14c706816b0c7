using System.Collections.Immutable;
using CsCheck;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Flow;
using Suite.Messaging;
using Suite.Picker.Admission;
using Suite.Picker.Hosting;
using Suite.Tests.Shared;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Admission;

/// <summary>
/// The queue's <c>pool-pressure</c> events under an at-least-once bus (CsCheck, shrinking): every delivery is
/// acknowledged, and the backlog the picker acts on is the own pool's highest version, trusted until exactly
/// <see cref="QueueBacklog.MaxAge"/> after it was published, as in-order, once-only delivery leaves it.
/// </summary>
public sealed class QueueBacklogDeliveryPropertyTests
{
    private const string OwnPool = "chat-pool";

    [Fact]
    public async Task PoolPressure_DuplicatedReorderedAndRedelivered_EveryDeliveryAcknowledged_BacklogOfTheNewestVersion()
    {
        var events = Gen.Select(Events(OwnPool, min: 1), Events("batch-pool", min: 0), (own, other) => (PressureEvent[])[.. own, .. other]);

        await Redelivery.Of(events).SampleAsync(async (published, plan) =>
        {
            var time = new FakeTimeProvider(Start);
            var backlog = new QueueBacklog(Options.Create(new PickerOptions { PoolName = OwnPool }), time);
            var results = new List<DeliveryResult>();
            foreach (var i in plan)
            {
                results.Add(await backlog.HandleAsync(published[i].Event(), CancellationToken.None));
            }

            // When the newest event was published, the last moment it is trusted, and a tick later.
            var newest = published.Where(e => e.Pool == OwnPool).MaxBy(e => e.Version)!;
            var waiting = new List<bool>();
            foreach (var at in new[] { newest.At, newest.At + QueueBacklog.MaxAge, newest.At + QueueBacklog.MaxAge + TimeSpan.FromTicks(1) })
            {
                time.SetUtcNow(at);
                waiting.Add(backlog.AnyWaiting);
            }

            Assert.Equal(Enumerable.Repeat(DeliveryResult.Success, plan.Length), results);
            Assert.Equal([newest.Depth > 0, newest.Depth > 0, false], waiting);
        }, iter: 300, threads: 1);
    }

    /// <summary>One pool's events in publish order: versions rising by 1 to 3, each published 10 s after the last.</summary>
    private static Gen<PressureEvent[]> Events(string pool, int min) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, 2], (gap, depth) => (gap, depth)).Array[min, 6].Select(steps =>
        {
            var version = 0L;
            return steps.Select((step, i) => new PressureEvent(pool, version += step.gap, step.depth, Start + TimeSpan.FromSeconds(10 * (i + 1)))).ToArray();
        });

    private sealed record PressureEvent(string Pool, long Version, int Depth, DateTimeOffset At)
    {
        public PoolPressureEvent Event() =>
            new(Pool, 0.5, Depth, ImmutableDictionary<string, int>.Empty, ImmutableDictionary<int, int>.Empty, At, Version);

        public override string ToString() => $"{Pool} v{Version} depth {Depth} +{(At - Start).TotalSeconds}s";
    }
}
