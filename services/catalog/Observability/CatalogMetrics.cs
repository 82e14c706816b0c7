using System.Diagnostics.Metrics;
using Suite.Catalog.Leadership;
using Suite.Catalog.Resolution;

namespace Suite.Catalog.Observability;

/// <summary>The catalog's own instruments (meter <c>Suite.Catalog</c>), read from the current state when scraped.</summary>
internal sealed class CatalogMetrics
{
    public const string MeterName = "Suite.Catalog";

    private readonly Counter<long> _published;
    private readonly Counter<long> _failures;

    public CatalogMetrics(IMeterFactory meterFactory, CatalogState state, ICatalogLeadership leadership)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("catalog.leader", () => leadership.IsLeader ? 1 : 0, "{replica}",
            "1 when this replica is the leader (publishes snapshots and writes status), else 0.");
        meter.CreateObservableGauge("catalog.resources", () => Resources(state), "{resource}",
            "Catalog resources by kind and whether they are accepted (the Accepted condition).");
        _published = meter.CreateCounter<long>("catalog.snapshots.published", "{snapshot}", "Pool catalogs published on the catalog topic.");
        _failures = meter.CreateCounter<long>(
            "catalog.write.failures", "{failure}", "Failed publishes and status writes, by target (bus_or_store, status); they are retried.");
    }

    public void Published(int count) => _published.Add(count);

    public void Failed(string target, int count) => _failures.Add(count, new KeyValuePair<string, object?>("target", target));

    private static IEnumerable<Measurement<int>> Resources(CatalogState state)
    {
        if (state.Current is not { } current)
        {
            yield break;
        }

        // Keys are "Kind namespace/name".
        foreach (var group in current.Resolution.Conditions.GroupBy(c => (Kind: c.Key[..c.Key.IndexOf(' ', StringComparison.Ordinal)], c.Value.Accepted)))
        {
            yield return new Measurement<int>(group.Count(),
                new KeyValuePair<string, object?>("kind", group.Key.Kind),
                new KeyValuePair<string, object?>("accepted", group.Key.Accepted ? "true" : "false"));
        }
    }
}
