using Microsoft.Extensions.Options;
using Suite.Contracts.Flow;
using Suite.Picker.Hosting;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Prefix;

namespace Suite.Picker.Configuration;

/// <summary>
/// The scheduling profile in force. Loaded at start-up from <c>--config-file</c> (a bad file stops the service
/// with a message naming the key) and re-read when the file changes; a bad edit keeps the previous profile.
/// </summary>
public sealed partial class ProfileStore : ISchedulingProfileSource, IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly IRandomSource _random;
    private readonly PrefixCacheIndex _prefixIndex;
    private readonly SaturationThresholds _saturation;
    private readonly ILogger<ProfileStore> _logger;
    private readonly PolledFile? _watch;
    private volatile SchedulingProfile _current;

    public ProfileStore(
        IOptions<PickerOptions> options,
        IRandomSource random,
        PrefixCacheIndex prefixIndex,
        TimeProvider time,
        ILogger<ProfileStore> logger)
    {
        _random = random;
        _prefixIndex = prefixIndex;
        _saturation = options.Value.Saturation;
        _logger = logger;
        var file = options.Value.ConfigFile;
        if (string.IsNullOrEmpty(file))
        {
            _current = SchedulingProfile.CreateDefault(random, prefixIndex, _saturation);
            return;
        }

        var text = PolledFile.ReadText(file);
        _current = ProfileFile.Parse(file, text, random, prefixIndex, _saturation);
        _watch = new PolledFile(file, text, PollInterval, time, Reload);
    }

    public SchedulingProfile Current => _current;

    /// <summary>Checks the file now instead of waiting for the next poll.</summary>
    public void CheckForChanges() => _watch?.CheckNow();

    public void Dispose() => _watch?.Dispose();

    private void Reload(string text)
    {
        try
        {
            _current = ProfileFile.Parse(_watch!.Path, text, _random, _prefixIndex, _saturation);
            LogReloaded(_watch.Path);
        }
        catch (ConfigurationFileException e)
        {
            LogRejected(e.Message);
        }
        catch (Exception e)
        {
            // Runs on a timer: nothing a file contains may take the process down.
            LogRejected(e.ToString());
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Scheduling profile reloaded from {File}")]
    private partial void LogReloaded(string file);

    [LoggerMessage(2, LogLevel.Error, "Scheduling profile change rejected, the previous profile stays in force: {Problem}")]
    private partial void LogRejected(string problem);
}
