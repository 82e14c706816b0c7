using Microsoft.Extensions.Time.Testing;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Filters;
using Suite.Picker.Scheduling.InFlight;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Admission;

/// <summary>
/// What happens to a request admitted into a saturated pool (a Critical one the queue had no room for, or any
/// request while the queue is down): the built-in filters are soft, so it still goes to the least-loaded pod
/// rather than being answered 429 for "nothing schedulable".
/// </summary>
public sealed class AdmittedRequestSchedulingTests
{
    [Fact]
    public void Pick_EveryPodSaturatedWithBothFilters_PicksTheLeastLoadedPod()
    {
        var time = new FakeTimeProvider(Start);
        var pool = new PoolStateStore();
        pool.Publish(Snapshot(Endpoint(A, waiting: 12, kv: 0.95), Endpoint(B, waiting: 7, kv: 0.9), Endpoint(C, waiting: 9, kv: 0.97)));
        var profile = SchedulingProfile.CreateDefault(new ScriptedRandom()) with
        {
            Filters = [new LowQueueFilter(5), new KvCacheBelowFilter(0.8)],
        };
        var scheduler = new Scheduler(pool, new FixedProfileSource(profile), new InFlightLoad(time), time);

        var result = scheduler.Pick(new SchedulingRequest("llama", null, false));

        Assert.Equal((PickFailure.None, B), (result.Failure, result.Destination));
    }
}
