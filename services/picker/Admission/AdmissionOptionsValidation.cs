using Suite.Contracts.Flow;
using Suite.Picker.Hosting;

namespace Suite.Picker.Admission;

/// <summary>Start-up checks of <c>Picker:Queue</c> and <c>Picker:Saturation</c>; each message names its key.</summary>
internal static class AdmissionOptionsValidation
{
    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    public static void Check(PickerOptions options, List<string> failures)
    {
        CheckQueue(options.Queue, failures);
        CheckSaturation(options.Saturation, failures);
    }

    private static void CheckQueue(AdmissionQueueOptions? queue, List<string> failures)
    {
        const string Section = $"{PickerOptions.Section}:{nameof(PickerOptions.Queue)}";
        if (queue is null)
        {
            failures.Add($"{Section} must be a section with Addresses, MaxWait and ConnectTimeout.");
            return;
        }

        var tls = queue.Tls ?? new QueueClientTlsOptions();
        var addresses = queue.Addresses ?? [];
        for (var i = 0; i < addresses.Length; i++)
        {
            var key = $"{Section}:{nameof(queue.Addresses)}:{i}";
            if (!IsShardUrl(addresses[i]))
            {
                failures.Add($"{key} must be a queue replica's URL, http://host:port, not '{addresses[i]}'.");
            }
            else if (Array.IndexOf(addresses, addresses[i]) < i)
            {
                failures.Add($"{key} repeats '{addresses[i]}'; list each queue replica once.");
            }
            else if (tls.Configured && !addresses[i].StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                // A CA or client certificate on a plaintext address would be ignored without a word.
                failures.Add($"{key} must be https://host:port when {Section}:{nameof(queue.Tls)} is set, not '{addresses[i]}'.");
            }
        }

        CheckQueueTls(tls, failures);

        if (queue.MaxWait <= TimeSpan.Zero || queue.MaxWait > Longest)
        {
            failures.Add($"{Section}:{nameof(queue.MaxWait)} must be a duration above 0 and at most 01:00:00 (e.g. 00:00:30), not {queue.MaxWait:c}.");
        }

        if (queue.ConnectTimeout <= TimeSpan.Zero || queue.ConnectTimeout > queue.MaxWait)
        {
            failures.Add($"{Section}:{nameof(queue.ConnectTimeout)} must be a duration above 0 and at most {Section}:{nameof(queue.MaxWait)} ({queue.MaxWait:c}), not {queue.ConnectTimeout:c}.");
        }
    }

    private static void CheckQueueTls(QueueClientTlsOptions tls, List<string> failures)
    {
        const string Section = $"{PickerOptions.Section}:{nameof(PickerOptions.Queue)}:{nameof(AdmissionQueueOptions.Tls)}";
        if (string.IsNullOrEmpty(tls.ClientCertificateFile) != string.IsNullOrEmpty(tls.ClientKeyFile))
        {
            failures.Add($"{Section}:{nameof(tls.ClientCertificateFile)} and {Section}:{nameof(tls.ClientKeyFile)} go together: set both to present a client certificate, or neither.");
        }
    }

    private static void CheckSaturation(SaturationThresholds? saturation, List<string> failures)
    {
        const string Section = $"{PickerOptions.Section}:{nameof(PickerOptions.Saturation)}";
        if (saturation is null)
        {
            failures.Add($"{Section} must be a section with QueueDepth, KvCacheUsage and StaleAfter.");
            return;
        }

        if (saturation.QueueDepth < 1)
        {
            failures.Add($"{Section}:{nameof(saturation.QueueDepth)} must be at least 1 (waiting requests per model server), not {saturation.QueueDepth}.");
        }

        if (!(saturation.KvCacheUsage > 0 && saturation.KvCacheUsage <= 1))
        {
            failures.Add($"{Section}:{nameof(saturation.KvCacheUsage)} must be a fraction above 0 and at most 1, not {saturation.KvCacheUsage}.");
        }

        if (saturation.StaleAfter <= TimeSpan.Zero || saturation.StaleAfter > Longest)
        {
            failures.Add($"{Section}:{nameof(saturation.StaleAfter)} must be a duration above 0 and at most 01:00:00 (e.g. 00:00:02), not {saturation.StaleAfter:c}.");
        }
    }

    private static bool IsShardUrl(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.Host.Length > 0
        && uri.PathAndQuery == "/"
        && uri.Fragment.Length == 0
        && uri.UserInfo.Length == 0;
}
