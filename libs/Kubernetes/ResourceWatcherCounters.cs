namespace Suite.Kubernetes;

/// <summary>Totals since a <see cref="ResourceWatcher{T}"/> started, for a service to export as metrics.</summary>
/// <param name="Relists">Lists after the first one, each forced by 410 Gone.</param>
/// <param name="Restarts">Watches opened again from the last resourceVersion: after a normal end, a failure or the watchdog.</param>
/// <param name="WatchdogRestarts">The part of <paramref name="Restarts"/> caused by a silent watch.</param>
/// <param name="Errors">Failed list or watch attempts (connection refused or dropped, 5xx, malformed event), each followed by a backoff delay.</param>
public readonly record struct ResourceWatcherCounters(long Relists, long Restarts, long WatchdogRestarts, long Errors);
