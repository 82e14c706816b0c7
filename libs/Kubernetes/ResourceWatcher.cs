using System.Collections.Immutable;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Suite.Kubernetes;

/// <summary>
/// An in-memory copy of one kind of Kubernetes resource that survives the API server: lists, then watches from the
/// list's resourceVersion; re-watches when a watch ends, drops or goes silent; lists again on 410 Gone; backs off
/// with full jitter after failures. A kind the API server does not serve (404: its CRD is not installed or was
/// deleted) counts as having no objects: the cache empties, the watcher is ready, and it re-lists with backoff until
/// the kind is back. Read <see cref="Snapshot"/>, subscribe to <see cref="Changed"/>, and run
/// <see cref="RunAsync"/> once (e.g. from a hosted service).
/// </summary>
public sealed class ResourceWatcher<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly ImmutableDictionary<string, T> Empty = ImmutableDictionary.Create<string, T>(StringComparer.Ordinal);

    private readonly IResourceApi<T> _api;
    private readonly ResourceWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _backoff;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ImmutableDictionary<string, T> _snapshot = Empty;
    private volatile string? _resourceVersion;
    private volatile bool _served = true;
    private long _relists;
    private long _restarts;
    private long _watchdogRestarts;
    private long _errors;
    private int _started;

    /// <param name="api">Where the objects come from, e.g. <see cref="PodApi"/> or <see cref="CustomResourceApi{T}"/>.</param>
    /// <param name="options">Timing; validated here.</param>
    /// <param name="timeProvider">Clock for backoff delays and the watchdog; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="random">Jitter source, used only from the watch loop; <see cref="Random.Shared"/> when null.</param>
    public ResourceWatcher(
        IResourceApi<T> api, ResourceWatcherOptions options, ILogger logger, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _api = api;
        _options = options;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _backoff = new ExponentialBackoff(options.BackoffBase, options.BackoffCap, random ?? Random.Shared);
    }

    /// <summary>
    /// Raised on the watch loop after the cache changed: once per applied watch event, once per list that changed
    /// anything (objects gone from a new list arrive as deletions). Handlers should be quick; coalescing is theirs.
    /// A handler that throws is logged and does not stop the loop or the other handlers.
    /// </summary>
    public event Action<ResourceChangeSet<T>>? Changed;

    /// <summary>Every known object by <see cref="ResourceKey"/>; replaced as a whole on each change.</summary>
    public ImmutableDictionary<string, T> Snapshot => _snapshot;

    /// <summary>The resourceVersion the next watch starts from; null before the first list, empty while the kind is not served.</summary>
    public string? ResourceVersion => _resourceVersion;

    /// <summary>True once the first full list has been applied (a list answered 404 counts, as an empty one).</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>
    /// False while the API server answers 404 for this kind (its CRD is not installed or was deleted), when the
    /// snapshot is empty and the watcher re-lists with backoff; true again after the next successful list. A gauge for
    /// a service to export next to <see cref="Counters"/>, since none of the counters moves while a kind is missing.
    /// </summary>
    public bool IsServed => _served;

    /// <summary>Relists, restarts and errors so far, for a service to export as metrics.</summary>
    public ResourceWatcherCounters Counters => new(
        Interlocked.Read(ref _relists), Interlocked.Read(ref _restarts), Interlocked.Read(ref _watchdogRestarts), Interlocked.Read(ref _errors));

    /// <summary>Completes once the first full list has been applied; cancelled if the watcher stops before that.</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Lists and watches until <paramref name="stoppingToken"/> is cancelled, then returns normally.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A ResourceWatcher runs only once.");
        }

        try
        {
            await LoopAsync(stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever a cancelled request threw on the way out, this is a clean stop.
        }
        finally
        {
            _ready.TrySetCanceled(stoppingToken);
            ResourceWatcherLog.Stopped(_logger, _api.Description);
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var mustList = true;
        var relistsWithoutProgress = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (mustList)
            {
                if (!await TryListAsync(cancellationToken))
                {
                    continue;
                }

                mustList = false;
            }

            var resourceVersion = _resourceVersion!;
            var watch = await WatchOnceAsync(resourceVersion, cancellationToken);
            if (watch.Events > 0)
            {
                _backoff.Reset();
                relistsWithoutProgress = 0;
            }

            switch (watch.Outcome)
            {
                case WatchOutcome.Ended when watch.Events > 0:
                    Interlocked.Increment(ref _restarts);
                    ResourceWatcherLog.WatchEnded(_logger, _api.Description, watch.Events, _resourceVersion!);
                    break;

                case WatchOutcome.Ended:
                    // An empty watch is normal for a quiet resource, but a server that ends every watch at once must not spin us.
                    Interlocked.Increment(ref _restarts);
                    await BackOffAsync(d => ResourceWatcherLog.WatchEndedEmpty(_logger, _api.Description, _resourceVersion!, d), cancellationToken);
                    break;

                case WatchOutcome.Silent:
                    Interlocked.Increment(ref _restarts);
                    Interlocked.Increment(ref _watchdogRestarts);
                    ResourceWatcherLog.WatchSilent(_logger, _api.Description, _options.SilenceTimeout, _resourceVersion!);
                    break;

                case WatchOutcome.Expired:
                    Interlocked.Increment(ref _relists);
                    mustList = true;

                    // A fresh list that expires again before its watch delivers anything means the server is churning.
                    if (++relistsWithoutProgress > 1)
                    {
                        await BackOffAsync(d => ResourceWatcherLog.Expired(_logger, resourceVersion, _api.Description, d), cancellationToken);
                    }
                    else
                    {
                        ResourceWatcherLog.Expired(_logger, resourceVersion, _api.Description, TimeSpan.Zero);
                    }

                    break;

                case WatchOutcome.NotServed:
                    // The CRD was deleted: the list that follows empties the cache. A list that succeeds and a watch
                    // that 404s again means the server is flapping, so that second relist waits.
                    mustList = true;
                    if (++relistsWithoutProgress > 1)
                    {
                        await BackOffAsync(d => ResourceWatcherLog.WatchNotServed(_logger, _api.Description, d), cancellationToken);
                    }
                    else
                    {
                        ResourceWatcherLog.WatchNotServed(_logger, _api.Description, TimeSpan.Zero);
                    }

                    break;

                default:
                    Interlocked.Increment(ref _errors);
                    Interlocked.Increment(ref _restarts);
                    await BackOffAsync(d => ResourceWatcherLog.WatchFailed(_logger, _api.Description, _resourceVersion!, d, watch.Error!), cancellationToken);
                    break;
            }
        }
    }

    /// <returns>False, after a backoff delay, when the list failed or was answered 404: list again rather than watch.</returns>
    private async Task<bool> TryListAsync(CancellationToken cancellationToken)
    {
        ResourceList<T> list;
        ImmutableDictionary<string, T> listed;
        try
        {
            list = await _api.ListAsync(cancellationToken);
            if (string.IsNullOrEmpty(list.ResourceVersion))
            {
                throw new InvalidDataException($"The list of {_api.Description} has no metadata.resourceVersion.");
            }

            listed = ToDictionary(list.Items);
        }
        catch (ResourceNotServedException) when (!cancellationToken.IsCancellationRequested)
        {
            await ApplyNotServedAsync(cancellationToken);
            return false;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _errors);
            await BackOffAsync(d => ResourceWatcherLog.ListFailed(_logger, _api.Description, d, e), cancellationToken);
            return false;
        }

        _backoff.Reset();
        if (!_served)
        {
            _served = true;
            ResourceWatcherLog.Served(_logger, _api.Description);
        }

        var changes = Reconcile(list.Items, listed, list.ResourceVersion);
        var added = CountOf(changes, ResourceChangeType.Added);
        var modified = CountOf(changes, ResourceChangeType.Modified);
        ResourceWatcherLog.Listed(_logger, listed.Count, _api.Description, list.ResourceVersion, added, modified, changes.Length - added - modified);

        // Ready before the handlers run, so a handler that checks IsReady sees the list it is told about.
        _ready.TrySetResult();
        Notify(changes);
        return true;
    }

    /// <summary>
    /// A kind the API server does not serve has no objects: report the cached ones deleted, count as ready (so a
    /// service does not wait forever on an optional CRD), and list again after a backoff delay; never watch.
    /// </summary>
    private async Task ApplyNotServedAsync(CancellationToken cancellationToken)
    {
        if (_served)
        {
            _served = false;
            ResourceWatcherLog.NotServed(_logger, _api.Description, _options.BackoffCap);
        }

        var changes = Reconcile([], Empty, string.Empty);
        _ready.TrySetResult();
        Notify(changes);

        // No backoff reset: a missing CRD is polled at the pace of a failing server, up to the cap, not hammered.
        await BackOffAsync(d => ResourceWatcherLog.ListNotServed(_logger, _api.Description, d), cancellationToken);
    }

    private async Task<WatchResult> WatchOnceAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        ResourceWatcherLog.WatchStarted(_logger, _api.Description, resourceVersion);
        using var silence = new CancellationTokenSource(_options.SilenceTimeout, _time);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        var events = 0;
        try
        {
            var stream = _api.WatchAsync(resourceVersion, allowBookmarks: true, _options.WatchTimeout, watch.Token);
            await foreach (var (type, resource) in stream.WithCancellation(watch.Token))
            {
                // Re-arm before applying: the change handlers may take a while.
                silence.CancelAfter(_options.SilenceTimeout);
                events++;
                Apply(type, resource);
            }

            return new WatchResult(WatchOutcome.Ended, events, null);
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new WatchResult(WatchOutcome.Silent, events, null);
        }
        catch (ResourceExpiredException e)
        {
            return new WatchResult(WatchOutcome.Expired, events, e);
        }
        catch (ResourceNotServedException e)
        {
            return new WatchResult(WatchOutcome.NotServed, events, e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new WatchResult(WatchOutcome.Failed, events, e);
        }
    }

    private void Apply(WatchEventType type, T resource)
    {
        var resourceVersion = resource?.Metadata?.ResourceVersion;
        if (resource is null || string.IsNullOrEmpty(resourceVersion))
        {
            throw new InvalidDataException($"A {type} event for {_api.Description} has no object or no metadata.resourceVersion.");
        }

        if (type == WatchEventType.Bookmark)
        {
            _resourceVersion = resourceVersion;
            ResourceWatcherLog.Bookmark(_logger, _api.Description, resourceVersion);
            return;
        }

        if (type is not (WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted))
        {
            throw new InvalidDataException($"Unexpected {type} event while watching {_api.Description}.");
        }

        var key = ResourceKey.Of(resource);
        var before = _snapshot;
        var existed = before.ContainsKey(key);
        var change = type == WatchEventType.Deleted ? ResourceChangeType.Deleted : existed ? ResourceChangeType.Modified : ResourceChangeType.Added;
        _resourceVersion = resourceVersion;
        if (change == ResourceChangeType.Deleted && !existed)
        {
            return;
        }

        ResourceWatcherLog.Applied(_logger, change, key, resourceVersion);
        _snapshot = change == ResourceChangeType.Deleted ? before.Remove(key) : before.SetItem(key, resource);
        Notify([new ResourceChange<T>(change, key, resource)]);
    }

    /// <summary>Swaps in the listed objects and returns how they differ from the previous snapshot.</summary>
    private ImmutableArray<ResourceChange<T>> Reconcile(IReadOnlyList<T> items, ImmutableDictionary<string, T> listed, string resourceVersion)
    {
        var before = _snapshot;
        var changes = ImmutableArray.CreateBuilder<ResourceChange<T>>();
        foreach (var item in items)
        {
            var key = ResourceKey.Of(item);
            if (!before.TryGetValue(key, out var previous))
            {
                changes.Add(new ResourceChange<T>(ResourceChangeType.Added, key, item));
            }
            else if (!string.Equals(previous.Metadata.ResourceVersion, item.Metadata.ResourceVersion, StringComparison.Ordinal))
            {
                changes.Add(new ResourceChange<T>(ResourceChangeType.Modified, key, item));
            }
        }

        foreach (var key in before.Keys.Where(k => !listed.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            changes.Add(new ResourceChange<T>(ResourceChangeType.Deleted, key, before[key]));
        }

        _resourceVersion = resourceVersion;
        _snapshot = listed;
        return changes.DrainToImmutable();
    }

    private static int CountOf(ImmutableArray<ResourceChange<T>> changes, ResourceChangeType type) => changes.Count(c => c.Type == type);

    /// <summary>Tells the handlers about changes already in <see cref="_snapshot"/>.</summary>
    private void Notify(ImmutableArray<ResourceChange<T>> changes)
    {
        var handlers = Changed;
        if (changes.IsEmpty || handlers is null)
        {
            return;
        }

        var changeSet = new ResourceChangeSet<T>(changes, _snapshot, _resourceVersion!);
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<ResourceChangeSet<T>>)handler)(changeSet);
            }
            catch (Exception e)
            {
                ResourceWatcherLog.HandlerFailed(_logger, _api.Description, e);
            }
        }
    }

    /// <summary>Waits the next backoff delay; logs once the timer exists, so a test's fake clock can be advanced past it.</summary>
    private async Task BackOffAsync(Action<TimeSpan> log, CancellationToken cancellationToken)
    {
        var delay = _backoff.Next();
        var wait = Task.Delay(delay, _time, cancellationToken);
        log(delay);
        await wait;
    }

    private static ImmutableDictionary<string, T> ToDictionary(IReadOnlyList<T> items)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            builder[ResourceKey.Of(item)] = item;
        }

        return builder.ToImmutable();
    }

    private enum WatchOutcome
    {
        Ended,
        Silent,
        Expired,
        NotServed,
        Failed,
    }

    private readonly record struct WatchResult(WatchOutcome Outcome, int Events, Exception? Error);
}
