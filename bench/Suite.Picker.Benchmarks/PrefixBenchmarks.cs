using System.Text;
using BenchmarkDotNet.Attributes;
using Suite.Contracts.Flow;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.InFlight;
using Suite.Picker.Scheduling.Prefix;

namespace Suite.Picker.Benchmarks;

/// <summary>
/// What prefix-cache affinity adds to a decision: hashing a 16 KiB prompt (256 blocks of 64 bytes, the cap), and a
/// decision with the default profile whose prefix-cache scorer looks the 256 hashes up in a warm index (a quarter
/// of the pods hold the prefix, one a longer run) and records the pick. Compare <c>PickWithPrefix</c> with
/// <see cref="SchedulerBenchmarks.Pick"/> (same profile, no hashes).
/// </summary>
public class PrefixBenchmarks
{
    private const int Blocks = 256;

    private readonly ulong[] _hashes = new ulong[Blocks];
    private byte[] _prompt = [];
    private Scheduler _scheduler = null!;
    private SchedulingRequest _request;
    private SchedulingRequest _noPrefix;

    [Params(10, 100)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        _prompt = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("You are a careful assistant for the orders database. ", 320)))[..(Blocks * 64)];
        PrefixHashes.Compute("sql-lora", _prompt, 64, _hashes);

        var store = new PoolStateStore();
        var snapshot = BenchPool.Create(Endpoints, time.GetUtcNow() - TimeSpan.FromMilliseconds(25));
        store.Publish(snapshot);
        var index = new PrefixCacheIndex(time);
        for (var i = 0; i < snapshot.Endpoints.Length; i += 4)
        {
            index.Record(snapshot.Endpoints[i].Address, _hashes.AsSpan(0, i == 0 ? Blocks : Blocks / 2), PrefixCacheSettings.FallbackCapacityBlocks);
        }

        var profile = SchedulingProfile.CreateDefault(new SeededRandomSource(1234), index, SaturationThresholds.Default)
            with { StaleAfter = TimeSpan.FromDays(1) };
        _scheduler = new Scheduler(store, new FixedProfile(profile), new InFlightLoad(time), time);
        _request = new SchedulingRequest("sql-lora", Subset: null, Explain: false, _hashes);
        _noPrefix = new SchedulingRequest("sql-lora", Subset: null, Explain: false);

        var check = _scheduler.Pick(_request);
        if (!check.Succeeded || check.CandidateCount != Endpoints)
        {
            throw new InvalidOperationException($"Set-up is wrong: pick {check.Failure} over {check.CandidateCount} candidates.");
        }
    }

    [Benchmark]
    public int HashPrompt16KiB() => PrefixHashes.Compute("sql-lora", _prompt, 64, _hashes);

    [Benchmark]
    public PickResult PickWithPrefix() => _scheduler.Pick(_request);

    [Benchmark(Baseline = true)]
    public PickResult PickWithoutHashes() => _scheduler.Pick(_noPrefix);

    private sealed class FixedProfile(SchedulingProfile profile) : ISchedulingProfileSource
    {
        public SchedulingProfile Current { get; } = profile;
    }
}
