using Microsoft.Extensions.Options;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Picker.Hosting;

namespace Suite.Picker.Pools;

/// <summary>
/// Starts a picker warm: reads the pool's latest snapshot from the state store, so it can route before the next
/// <c>pod-state</c> event. The sidecar may come up after the app, so a failed read is retried with growing
/// pauses until it succeeds, an event has brought a snapshot anyway, or the retries run out.
/// </summary>
public sealed partial class PoolStateBootstrap(
    IStateStore stateStore, PoolStateStore store, IOptions<PickerOptions> options, TimeProvider time, ILogger<PoolStateBootstrap> logger)
    : BackgroundService
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

        var pause = FirstRetry;
        for (var attempt = 1; attempt <= Attempts && store.Current is null; attempt++)
        {
            try
            {
                var snapshot = await stateStore.GetAsync<PoolSnapshot>(StateKeys.Pool(pool), stoppingToken);
                if (snapshot is null)
                {
                    LogNothingStored(pool);
                }
                else if (store.Publish(snapshot))
                {
                    LogStartedWarm(pool, snapshot.Version, snapshot.Endpoints.Length, snapshot.TakenAt);
                }

                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogReadFailed(pool, attempt, Attempts, e.Message);
            }

            await Task.Delay(pause, time, stoppingToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestRetry.Ticks));
        }
    }

    [LoggerMessage(1, LogLevel.Information, "No stored snapshot of pool {Pool}: waiting for the first pod-state event")]
    private partial void LogNothingStored(string pool);

    [LoggerMessage(2, LogLevel.Information, "Started warm: pool {Pool} snapshot version {Version} with {Endpoints} endpoints, taken {TakenAt:o}")]
    private partial void LogStartedWarm(string pool, long version, int endpoints, DateTimeOffset takenAt);

    [LoggerMessage(3, LogLevel.Warning, "Reading pool {Pool}'s snapshot from the state store failed (attempt {Attempt} of {Attempts}): {Problem}")]
    private partial void LogReadFailed(string pool, int attempt, int attempts, string problem);
}
