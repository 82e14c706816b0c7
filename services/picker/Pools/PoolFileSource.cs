using Microsoft.Extensions.Options;
using Suite.Picker.Configuration;
using Suite.Picker.Hosting;

namespace Suite.Picker.Pools;

/// <summary>
/// Feeds the pool state from <c>--pool-file</c> so the picker can run on its own: loaded at start-up (a bad
/// file stops the service), re-read when it changes (a bad edit keeps the previous snapshot).
/// </summary>
public sealed partial class PoolFileSource(
    IOptions<PickerOptions> options, PoolStateStore store, TimeProvider time, ILogger<PoolFileSource> logger) : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private PolledFile? _watch;
    private long _version;

    /// <summary>Loads the file if one is configured; throws <see cref="ConfigurationFileException"/> when it is unusable.</summary>
    public void Start()
    {
        var file = options.Value.PoolFile;
        if (string.IsNullOrEmpty(file))
        {
            if (string.IsNullOrEmpty(options.Value.PoolName))
            {
                LogNoPoolSource();
            }

            return;
        }

        var text = PolledFile.ReadText(file);
        store.Publish(PoolFile.Parse(file, text, ++_version, time.GetUtcNow()));
        _watch = new PolledFile(file, text, PollInterval, time, Reload);
    }

    /// <summary>Checks the file now instead of waiting for the next poll.</summary>
    public void CheckForChanges() => _watch?.CheckNow();

    public void Dispose() => _watch?.Dispose();

    private void Reload(string text)
    {
        try
        {
            var snapshot = PoolFile.Parse(_watch!.Path, text, Interlocked.Increment(ref _version), time.GetUtcNow());
            store.Publish(snapshot);
            LogReloaded(_watch.Path, snapshot.Endpoints.Length);
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

    [LoggerMessage(1, LogLevel.Warning, "Neither --pool-file nor --pool-name is set: the picker has no pool and stays not ready")]
    private partial void LogNoPoolSource();

    [LoggerMessage(2, LogLevel.Information, "Pool file {File} reloaded: {Endpoints} endpoints")]
    private partial void LogReloaded(string file, int endpoints);

    [LoggerMessage(3, LogLevel.Error, "Pool file change rejected, the previous snapshot stays in force: {Problem}")]
    private partial void LogRejected(string problem);
}
