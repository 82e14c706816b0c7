using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Suite.Host.Health;

/// <summary>
/// The suite is ready when every pool's picker is: each picker's own readiness checks (those tagged <c>ready</c>,
/// which pass once it holds a pool snapshot) are asked in process, so the suite means exactly what each picker's
/// readiness probe means.
/// </summary>
internal sealed class SuiteReadiness
{
    /// <summary>The tag of the picker's readiness checks (its gRPC <c>readiness</c> service).</summary>
    public const string ReadyTag = "ready";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly Lock _gate = new();
    private readonly List<(string Pool, IServiceProvider Services)> _pickers = [];
    private string[] _pools = [];

    /// <summary>Pools whose picker is not running yet count as not ready.</summary>
    public void ExpectPools(IEnumerable<string> pools)
    {
        lock (_gate)
        {
            _pools = [.. pools];
        }
    }

    /// <summary>A pool's picker runs (again, after a restart: it replaces the stopped one).</summary>
    public void PickerStarted(string pool, IServiceProvider services)
    {
        lock (_gate)
        {
            _pickers.RemoveAll(picker => picker.Pool == pool);
            _pickers.Add((pool, services));
        }
    }

    /// <summary>A pool's picker was stopped: the pool is not ready until it starts again.</summary>
    public void PickerStopped(string pool)
    {
        lock (_gate)
        {
            _pickers.RemoveAll(picker => picker.Pool == pool);
        }
    }

    /// <summary>The pools whose picker is not ready, in file order; empty when the suite is ready.</summary>
    public async Task<IReadOnlyList<string>> WaitingPoolsAsync(CancellationToken cancellationToken)
    {
        string[] pools;
        (string Pool, IServiceProvider Services)[] pickers;
        lock (_gate)
        {
            pools = _pools;
            pickers = [.. _pickers];
        }

        var waiting = new List<string>();
        foreach (var pool in pools)
        {
            var picker = Array.Find(pickers, candidate => candidate.Pool == pool);
            if (picker.Services is null || !await IsReadyAsync(picker.Services, cancellationToken))
            {
                waiting.Add(pool);
            }
        }

        return waiting;
    }

    /// <exception cref="TimeoutException">Some pool is still not ready after <paramref name="timeout"/>; the message names them.</exception>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var waiting = await WaitingPoolsAsync(cancellationToken);
            if (waiting.Count == 0)
            {
                return;
            }

            if (time.GetTimestamp() >= deadline)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"not ready after {timeout.TotalSeconds:0.#} s: no pool snapshot yet for {string.Join(", ", waiting)} — the metrics-collector publishes one per pool every round; its log above says what it could not read."));
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    private static async Task<bool> IsReadyAsync(IServiceProvider picker, CancellationToken cancellationToken)
    {
        try
        {
            var report = await picker.GetRequiredService<HealthCheckService>()
                .CheckHealthAsync(registration => registration.Tags.Contains(ReadyTag), cancellationToken);
            return report.Status == HealthStatus.Healthy;
        }
        catch (ObjectDisposedException)
        {
            return false; // the picker is stopping
        }
    }
}
