using System.Collections.Immutable;
using Suite.Contracts.Pools;
using Suite.Picker.Scheduling;

namespace Suite.Picker.UnitTests;

/// <summary>Endpoints, candidates, snapshots and profiles with only the figures a test cares about.</summary>
internal static class Build
{
    public const string A = "10.0.0.1:8000";
    public const string B = "10.0.0.2:8000";
    public const string C = "10.0.0.3:8000";
    public const string D = "10.0.0.4:8000";
    public const string E = "10.0.0.5:8000";

    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static EndpointSnapshot Endpoint(
        string address,
        int waiting = 0,
        int running = 0,
        double kv = 0,
        string? baseModel = null,
        string[]? activeAdapters = null,
        string[]? waitingAdapters = null,
        int maxLora = 0,
        DateTimeOffset? measuredAt = null) =>
        new(
            address,
            "pod-" + address,
            baseModel,
            new EndpointMetrics(
                waiting,
                running,
                kv,
                [.. activeAdapters ?? []],
                [.. waitingAdapters ?? []],
                maxLora,
                measuredAt));

    public static Candidate CandidateFor(EndpointSnapshot endpoint, int unseenInFlight = 0) =>
        new(endpoint, endpoint.Metrics, unseenInFlight);

    public static Candidate[] Candidates(params EndpointSnapshot[] endpoints) =>
        [.. endpoints.Select(endpoint => CandidateFor(endpoint))];

    public static string[] Addresses(ReadOnlySpan<Candidate> candidates)
    {
        var addresses = new string[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            addresses[i] = candidates[i].Endpoint.Address;
        }

        return addresses;
    }

    public static PoolSnapshot Snapshot(params EndpointSnapshot[] endpoints) =>
        new("pool", 1, Start, [.. endpoints]);

    public static SchedulingProfile Profile(
        IEndpointPicker picker,
        WeightedScorer[] scorers,
        ICandidateFilter[]? filters = null,
        int destinations = 1,
        TimeSpan? staleAfter = null,
        int explainCandidates = 3) =>
        new(
            [.. filters ?? []],
            [.. scorers],
            picker,
            destinations,
            staleAfter ?? SchedulingProfile.DefaultStaleAfter,
            ExplainHeader: false,
            explainCandidates);

    /// <summary>Runs one scorer over <paramref name="candidates"/> and returns its scores.</summary>
    public static double[] Scores(IEndpointScorer scorer, Candidate[] candidates, string? model = null)
    {
        var scores = new double[candidates.Length];
        scorer.Score(new SchedulingRequest(model, null, false), candidates, scores);
        return scores;
    }

    /// <summary>Runs one picker and returns the chosen indexes, most preferred first.</summary>
    public static int[] Picks(IEndpointPicker picker, double[] totals, int slots)
    {
        var chosen = new int[slots];
        var written = picker.Pick(totals, chosen);
        return chosen[..written];
    }
}

/// <summary>Randomness that returns queued values, so every draw a picker makes is known in advance.</summary>
internal sealed class ScriptedRandom(double[]? doubles = null, int[]? ints = null) : IRandomSource
{
    private readonly Queue<double> _doubles = new(doubles ?? []);
    private readonly Queue<int> _ints = new(ints ?? []);

    /// <summary>The <c>maxExclusive</c> of every <see cref="NextInt"/> call, in order.</summary>
    public List<int> IntBounds { get; } = [];

    /// <summary>Queues more values, for a fake shared by a test class before each test scripts its draws.</summary>
    public void Enqueue(double[]? doubles = null, int[]? ints = null)
    {
        foreach (var value in doubles ?? [])
        {
            _doubles.Enqueue(value);
        }

        foreach (var value in ints ?? [])
        {
            _ints.Enqueue(value);
        }
    }

    public double NextDouble() =>
        _doubles.TryDequeue(out var value) ? value : throw new InvalidOperationException("No scripted double left.");

    public int NextInt(int maxExclusive)
    {
        IntBounds.Add(maxExclusive);
        if (!_ints.TryDequeue(out var value))
        {
            throw new InvalidOperationException("No scripted int left.");
        }

        return value < maxExclusive
            ? value
            : throw new InvalidOperationException($"Scripted int {value} is not below {maxExclusive}.");
    }
}

/// <summary>A profile source whose profile a test sets.</summary>
internal sealed class FixedProfileSource(SchedulingProfile current) : ISchedulingProfileSource
{
    public SchedulingProfile Current { get; set; } = current;
}

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("picker-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
