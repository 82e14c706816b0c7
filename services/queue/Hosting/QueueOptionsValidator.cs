using Microsoft.Extensions.Options;

namespace Suite.Queue.Hosting;

internal sealed class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        var failures = new List<string>();
        var key = QueueOptions.Section;
        foreach (var (port, setting) in new[] { (options.GrpcPort, nameof(options.GrpcPort)), (options.HttpPort, nameof(options.HttpPort)) })
        {
            if (port is < 0 or > 65535)
            {
                failures.Add($"{key}:{setting} must be a port number (0-65535), not {port}.");
            }
        }

        if (options.ShardCount < 1)
        {
            failures.Add($"{key}:{nameof(options.ShardCount)} must be at least 1, not {options.ShardCount}.");
        }
        else if (options.ResolveShardIndex(Environment.GetEnvironmentVariable("HOSTNAME")) is var index && (index < 0 || index >= options.ShardCount))
        {
            failures.Add($"{key}:{nameof(options.ShardIndex)} is {index} (set, or taken from the pod name's ordinal), outside 0..{options.ShardCount - 1}.");
        }

        options.Tls.Check(QueueOptions.TlsSection, failures);
        var saturation = options.Saturation;
        if (saturation.QueueDepth < 1)
        {
            failures.Add($"{key}:Saturation:QueueDepth must be at least 1, not {saturation.QueueDepth}.");
        }

        if (saturation.KvCacheUsage is <= 0 or > 1)
        {
            failures.Add($"{key}:Saturation:KvCacheUsage must be above 0 and at most 1, not {saturation.KvCacheUsage}.");
        }

        if (saturation.StaleAfter <= TimeSpan.Zero)
        {
            failures.Add($"{key}:Saturation:StaleAfter must be positive, not {saturation.StaleAfter}.");
        }

        if (options.DefaultTimeToLive <= TimeSpan.Zero || options.MaxTimeToLive < options.DefaultTimeToLive)
        {
            failures.Add($"{key}:{nameof(options.DefaultTimeToLive)} must be positive and at most {key}:{nameof(options.MaxTimeToLive)}; got {options.DefaultTimeToLive} and {options.MaxTimeToLive}.");
        }

        if (!Enum.IsDefined(options.WithinFlow))
        {
            failures.Add($"{key}:{nameof(options.WithinFlow)} must be Fcfs or EarliestDeadline, not {options.WithinFlow}.");
        }

        foreach (var (band, limits) in options.Bands.Select(pair => (pair.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), pair.Value))
            .Append(("default", options.DefaultBandLimits)))
        {
            if (limits.MaxRequests < 1 || limits.MaxBytes < 1)
            {
                failures.Add($"{key}:Bands:{band} needs MaxRequests and MaxBytes of at least 1; got {limits.MaxRequests} and {limits.MaxBytes}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
