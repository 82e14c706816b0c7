using BenchmarkDotNet.Attributes;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.InFlight;

namespace Suite.Picker.Benchmarks;

/// <summary>
/// One scheduling decision with the default profile (queue depth, KV cache, LoRA affinity, in-flight load;
/// max-score picker) over a fleet with varied figures, some pods with requests in flight that their last
/// measurement has not seen. The request asks for a LoRA adapter, the scorers' longest path.
/// </summary>
public class SchedulerBenchmarks
{
    private Scheduler _scheduler = null!;
    private SchedulingRequest _request;

    [Params(10, 100, 1000)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;

        // Measured 25 ms ago, as if by the last scrape; the leases below are dispatched after it, so they count as
        // unseen. The benchmark outlives the default 2 s staleness, so only that threshold is widened: every other
        // part of the default profile (filters, scorers, weights, picker) is unchanged and no endpoint goes stale.
        var measuredAt = time.GetUtcNow() - TimeSpan.FromMilliseconds(25);
        var store = new PoolStateStore();
        var snapshot = BenchPool.Create(Endpoints, measuredAt);
        store.Publish(snapshot);

        var inFlight = new InFlightLoad(time);
        var loads = inFlight.For(snapshot);
        var random = new Random(7);
        for (var i = 0; i < loads.Length; i++)
        {
            if (random.Next(3) == 0)
            {
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    inFlight.Dispatch(loads[i]);
                }
            }
        }

        var profile = SchedulingProfile.CreateDefault(new SeededRandomSource(1234)) with { StaleAfter = TimeSpan.FromDays(1) };
        _scheduler = new Scheduler(store, new FixedProfile(profile), inFlight, time);
        _request = new SchedulingRequest("sql-lora", Subset: null, Explain: false);

        var check = _scheduler.Pick(_request);
        if (!check.Succeeded || check.CandidateCount != Endpoints)
        {
            throw new InvalidOperationException($"Set-up is wrong: pick {check.Failure} over {check.CandidateCount} candidates.");
        }
    }

    [Benchmark]
    public PickResult Pick() => _scheduler.Pick(_request);

    private sealed class FixedProfile(SchedulingProfile profile) : ISchedulingProfileSource
    {
        public SchedulingProfile Current { get; } = profile;
    }
}
