using Suite.Picker.Hosting;

namespace Suite.Picker.DecisionSharing;

/// <summary>
/// Sharing routing decisions between the picker replicas of a pool (<c>Picker:Prefix</c>), so each replica's
/// prefix-cache index also knows where its peers sent each prefix.
/// </summary>
public sealed class PrefixSharingOptions
{
    public const string Section = "Prefix";

    /// <summary>Publish this replica's decisions and take in its peers' (<c>Picker:Prefix:ShareDecisions</c>).</summary>
    public bool ShareDecisions { get; set; } = true;

    /// <summary>Longest a decision waits before it is published (<c>Picker:Prefix:PublishInterval</c>).</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Decisions per batch; a full batch is published at once (<c>Picker:Prefix:BatchSize</c>).</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Decisions waiting to be published beyond which new ones are dropped and counted (<c>Picker:Prefix:MaxPending</c>).</summary>
    public int MaxPending { get; set; } = 8192;

    internal static void Check(PrefixSharingOptions options, List<string> failures)
    {
        var key = $"{PickerOptions.Section}:{Section}";
        if (options.PublishInterval < TimeSpan.FromMilliseconds(1) || options.PublishInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{key}:{nameof(PublishInterval)} must be between 1 ms and 10 s, not {options.PublishInterval}.");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"{key}:{nameof(BatchSize)} must be between 1 and 10000, not {options.BatchSize}.");
        }

        if (options.MaxPending < options.BatchSize || options.MaxPending > 1_000_000)
        {
            failures.Add($"{key}:{nameof(MaxPending)} must be between {key}:{nameof(BatchSize)} ({options.BatchSize}) and 1000000, not {options.MaxPending}.");
        }
    }
}
