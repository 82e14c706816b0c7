using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes.Tests.Support;

/// <summary>Subscribes to a watcher's <c>Changed</c> event and hands the change sets to the test in order.</summary>
internal sealed class ChangeRecorder<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Channel<ResourceChangeSet<T>> _sets = Channel.CreateUnbounded<ResourceChangeSet<T>>();

    public ChangeRecorder(ResourceWatcher<T> watcher) => watcher.Changed += set => _sets.Writer.TryWrite(set);

    public async Task<ResourceChangeSet<T>> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        try
        {
            return await _sets.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"The watcher raised no change within {Wait.Timeout.TotalSeconds} s.");
        }
    }

    public bool HasPending => _sets.Reader.TryPeek(out _);
}
