using System.Globalization;

namespace Suite.Queue.Overload.Runs;

internal enum ArmKind
{
    Queue,
    NoQueue,
    NoFlowControl,
    QueueEveryRequest,
}

/// <summary>One way of running the same workload: which picker settings differ from the production defaults.</summary>
/// <param name="Name">The arm's name on the command line and in the results.</param>
/// <param name="Label">What the arm is, as the report prints it.</param>
internal sealed record ArmDefinition(ArmKind Kind, string Name, string Label)
{
    /// <summary>A waiting-queue threshold no pod reaches, so the pool never counts as saturated.</summary>
    public const int NeverSaturatedQueueDepth = 1_000_000;

    /// <summary>
    /// A KV threshold one running request exceeds many times over (a 1,000-token prompt holds 63 of the 8B preset's
    /// 27,000 blocks, 0.0023), so the pool counts as saturated whenever anything runs.
    /// </summary>
    public const string AlwaysSaturatedKvUsage = "0.0001";

    public static IReadOnlyList<ArmDefinition> All { get; } =
    [
        new(ArmKind.Queue, "queue",
            "queue: the picker asks the queue service whenever the pool is saturated (Picker:Queue:Addresses = the queue)"),
        new(ArmKind.NoQueue, "no-queue",
            "no queue: the picker's local admission, Sheddable answered 429 while the pool is saturated, everything else admitted (Picker:Queue:Addresses empty)"),
        new(ArmKind.NoFlowControl, "no-flow-control",
            $"no flow control: the pool never counts as saturated (Picker:Saturation:QueueDepth {NeverSaturatedQueueDepth}, KvCacheUsage 1), so everything is admitted"),
        new(ArmKind.QueueEveryRequest, "queue-every-request",
            $"queue, every request asked (diagnostic, not a production setting): the picker's own thresholds make the pool saturated whenever anything runs (Picker:Saturation:QueueDepth 1, KvCacheUsage {AlwaysSaturatedKvUsage}), so it consults the queue for every request and never admits past it; the queue decides with the default thresholds"),
    ];

    public static ArmKind? ByName(string name) => All.FirstOrDefault(arm => arm.Name == name)?.Kind;

    public static ArmDefinition Of(ArmKind kind) => All.First(arm => arm.Kind == kind);

    /// <summary>The picker's configuration keys that make this arm, on top of the shared ones.</summary>
    public IReadOnlyDictionary<string, string?> PickerSettings(Uri queue) => Kind switch
    {
        ArmKind.Queue => new Dictionary<string, string?> { ["Picker:Queue:Addresses:0"] = queue.ToString().TrimEnd('/') },
        ArmKind.NoQueue => new Dictionary<string, string?>(),
        ArmKind.NoFlowControl => new Dictionary<string, string?>
        {
            ["Picker:Saturation:QueueDepth"] = NeverSaturatedQueueDepth.ToString(CultureInfo.InvariantCulture),
            ["Picker:Saturation:KvCacheUsage"] = "1",
        },
        _ => new Dictionary<string, string?>
        {
            ["Picker:Queue:Addresses:0"] = queue.ToString().TrimEnd('/'),
            ["Picker:Saturation:QueueDepth"] = "1",
            ["Picker:Saturation:KvCacheUsage"] = AlwaysSaturatedKvUsage,
        },
    };
}
