using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Suite.Kubernetes.Tests.Fakes;

namespace Suite.Kubernetes.Tests.Support;

/// <summary>
/// A <see cref="ResourceWatcher{T}"/> on the real KubernetesClient against a <see cref="FakeKubernetesApi"/>, with a
/// fake clock, a scripted random source (zero delays unless the test says otherwise) and recorded logs and changes.
/// </summary>
internal sealed class WatcherHarness<T> : IAsyncDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly CancellationTokenSource _stop = new();

    private WatcherHarness(FakeKubernetesApi server, Func<IKubernetes, IResourceApi<T>> api, ResourceWatcherOptions options, Random random)
    {
        Server = server;
        Client = server.CreateClient();
        Watcher = new ResourceWatcher<T>(api(Client), options, Logs, Time, random);
    }

    public FakeKubernetesApi Server { get; }

    public k8s.Kubernetes Client { get; }

    public FakeTimeProvider Time { get; } = new();

    public RecordingLogger Logs { get; } = new();

    public ResourceWatcher<T> Watcher { get; }

    public ChangeRecorder<T> Changes { get; private set; } = null!;

    /// <summary>The watcher's <see cref="ResourceWatcher{T}.RunAsync"/>.</summary>
    public Task Run { get; private set; } = Task.CompletedTask;

    /// <param name="beforeRun">Runs before the watch loop starts, e.g. to subscribe a handler ahead of <see cref="Changes"/>.</param>
    public static async Task<WatcherHarness<T>> StartAsync(
        Func<IKubernetes, IResourceApi<T>> api, ResourceWatcherOptions? options = null, Random? random = null, Action<ResourceWatcher<T>>? beforeRun = null)
    {
        var harness = new WatcherHarness<T>(await FakeKubernetesApi.StartAsync(), api, options ?? new ResourceWatcherOptions(), random ?? new ScriptedRandom(0));
        beforeRun?.Invoke(harness.Watcher);
        harness.Changes = new ChangeRecorder<T>(harness.Watcher);
        harness.Run = Task.Run(() => harness.Watcher.RunAsync(harness._stop.Token));
        return harness;
    }

    /// <summary>Answers the first list request with <paramref name="json"/> and waits for the watcher to be ready.</summary>
    public async Task ListAsync(string json)
    {
        var list = await Server.NextListAsync();
        await list.RespondAsync(200, json);
        await Wait.ForAsync(Watcher.ReadyAsync(CancellationToken.None), "the watcher to be ready");
    }

    /// <summary>Cancels the watcher and waits for <see cref="ResourceWatcher{T}.RunAsync"/> to return.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Wait.ForAsync(Run, "the watcher to stop");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
