using Microsoft.Extensions.Options;
using Suite.Contracts.Catalog;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Picker.Catalog;
using Suite.Picker.Pools;

namespace Suite.Picker.Hosting;

/// <summary>
/// Starts a picker warm: reads its pool's latest pod-state snapshot and catalog from the state store, so it can
/// route before the next events. The sidecar may come up after the app, so a failed read is retried with
/// growing pauses until it succeeds, an event has brought the snapshot anyway, or the retries run out.
/// </summary>
public sealed partial class SnapshotBootstrap(
    IStateStore stateStore,
    PoolStateStore pools,
    CatalogStore catalogs,
    IOptions<PickerOptions> options,
    TimeProvider time,
    ILogger<SnapshotBootstrap> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(8);
    private const int Attempts = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PoolName is not { Length: > 0 } pool)
        {
            return;
        }

        var pending = new List<(string Key, Func<CancellationToken, Task> Load)>
        {
            (StateKeys.Pool(pool), ct => LoadAsync(StateKeys.Pool(pool), () => pools.Current is not null, (PoolSnapshot s) => pools.Publish(s), ct)),
            (StateKeys.Catalog(pool), ct => LoadAsync(StateKeys.Catalog(pool), () => catalogs.Current is not null, (CatalogSnapshot s) => catalogs.Publish(s), ct)),
        };
        var pause = FirstRetry;
        for (var attempt = 1; attempt <= Attempts && pending.Count > 0; attempt++)
        {
            for (var i = pending.Count - 1; i >= 0; i--)
            {
                try
                {
                    await pending[i].Load(stoppingToken);
                    pending.RemoveAt(i);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogReadFailed(pending[i].Key, attempt, Attempts, e.Message);
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(pause, time, stoppingToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    private async Task LoadAsync<T>(string key, Func<bool> alreadyHeld, Func<T, bool> publish, CancellationToken cancellationToken)
        where T : class
    {
        if (alreadyHeld())
        {
            return; // an event was faster
        }

        var snapshot = await stateStore.GetAsync<T>(key, cancellationToken);
        if (snapshot is null)
        {
            LogNothingStored(key);
        }
        else if (publish(snapshot))
        {
            LogStartedWarm(key);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Nothing stored under {Key}: waiting for the first event")]
    private partial void LogNothingStored(string key);

    [LoggerMessage(2, LogLevel.Information, "Started warm from the stored {Key}")]
    private partial void LogStartedWarm(string key);

    [LoggerMessage(3, LogLevel.Warning, "Reading {Key} from the state store failed (attempt {Attempt} of {Attempts}): {Problem}")]
    private partial void LogReadFailed(string key, int attempt, int attempts, string problem);
}
