using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Suite.Kubernetes.Tests.Support;

/// <summary>
/// A <see cref="ResourceWatcher{T}"/> running over any <see cref="IResourceApi{T}"/> (e.g. against the in-memory API
/// server), with a fake clock for its backoff delays, a scripted random source and recorded logs and changes.
/// </summary>
internal sealed class RunningWatcher<T> : IAsyncDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    /// <param name="random">Jitter source; the default draws half of each ceiling, so every delay is on the fake clock.</param>
    public RunningWatcher(IResourceApi<T> api, Random? random = null)
    {
        Watcher = new ResourceWatcher<T>(api, new ResourceWatcherOptions(), Logs, Time, random ?? new ScriptedRandom(0.5));
        Changes = new ChangeRecorder<T>(Watcher);
        _run = Task.Run(() => Watcher.RunAsync(_stop.Token));
    }

    public FakeTimeProvider Time { get; } = new();

    public RecordingLogger Logs { get; } = new();

    public ResourceWatcher<T> Watcher { get; }

    public ChangeRecorder<T> Changes { get; }

    public Task ReadyAsync() => Wait.ForAsync(Watcher.ReadyAsync(CancellationToken.None), "the watcher to be ready");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Wait.ForAsync(_run, "the watcher to stop");
        _stop.Dispose();
    }
}
