using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Catalog;
using Suite.Contracts.Serialization;
using Suite.Picker.Catalog;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Tests.Shared;

namespace Suite.Picker.FunctionalTests.Catalog;

/// <summary>
/// The <c>catalog</c> route under an at-least-once bus (CsCheck, shrinking): every delivery, duplicate or late, is
/// acknowledged with SUCCESS, and the picker holds its own pool's highest catalog version, as in-order delivery gives.
/// </summary>
public sealed class CatalogDeliveryPropertyTests : IDisposable
{
    private const string OwnPool = "chat-pool";
    private const string OtherPool = "batch-pool";
    private const long EpochSize = 1_000;

    private static readonly string[] Names = ["chat", "sql-assistant", "summarizer", "base"];

    private readonly PickerFactory _picker = new PickerFactory().With("Picker:PoolName", OwnPool);
    private readonly HttpClient _app;
    private readonly DaprSidecar _sidecar;
    private long _epoch;

    public CatalogDeliveryPropertyTests()
    {
        _app = _picker.CreateClient();
        _app.BaseAddress = new Uri("http://localhost:9090");
        _sidecar = new DaprSidecar(_app);
    }

    [Fact]
    public async Task Catalog_DuplicatedReorderedAndRedelivered_EveryDeliveryAcknowledged_HoldsTheOwnPoolsHighestVersion()
    {
        var events = Gen.Select(Events(OwnPool, min: 1), Events(OtherPool, min: 0), (own, other) => (CatalogEvent[])[.. own, .. other]);

        await Redelivery.Of(events).SampleAsync(async (published, plan) =>
        {
            var epoch = _epoch += EpochSize;
            var answers = new List<string>();
            foreach (var i in plan)
            {
                var data = JsonSerializer.Serialize(published[i].Snapshot(epoch), ContractsJsonContext.Default.CatalogSnapshot);
                answers.Add(await _sidecar.DeliverAsync("catalog", $"{epoch}-{i}", data));
            }

            var newest = published.Where(e => e.Pool == OwnPool).MaxBy(e => e.Version)!;
            var held = _picker.Services.GetRequiredService<CatalogStore>().Current!.Snapshot;
            Assert.Equal(Enumerable.Repeat(DaprSidecar.Success, plan.Length), answers);
            Assert.Equal(epoch + newest.Version, held.Version);
            Assert.Equal(newest.Models, held.Models.Select(model => (model.Name, model.Criticality)));
        }, iter: 40, threads: 1);
    }

    public void Dispose()
    {
        _app.Dispose();
        _picker.Dispose();
    }

    /// <summary>One pool's catalogs in publish order, versions rising by 1 to 3, each listing some models.</summary>
    private static Gen<CatalogEvent[]> Events(string pool, int min) =>
        Gen.Select(Gen.Int[1, 3], Gen.Select(Gen.Int[0, Names.Length - 1], Gen.Enum<Criticality>()).Array[0, 3], (gap, models) => (gap, models))
            .Array[min, 5]
            .Select(steps =>
            {
                var version = 0L;
                return steps.Select(step => new CatalogEvent(pool, version += step.gap, [.. step.models.Select(m => (Names[m.Item1], m.Item2))])).ToArray();
            });

    private sealed record CatalogEvent(string Pool, long Version, (string Name, Criticality Criticality)[] Models)
    {
        public CatalogSnapshot Snapshot(long epoch) => new(
            Pool, epoch + Version, DateTimeOffset.UtcNow, [.. Models.Select(m => new CatalogModel(m.Name, m.Criticality, []))], [], []);

        public override string ToString() => $"{Pool} v{Version} [{string.Join(',', Models.Select(m => $"{m.Name}:{m.Criticality}"))}]";
    }
}
