using Microsoft.Extensions.Options;
using Suite.Picker.Admission;
using Suite.Picker.Catalog;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.InFlight;

namespace Suite.Picker.ExtProc;

/// <summary>What every exchange shares: one instance per process.</summary>
/// <param name="Admission">Null only where the services are put together by hand without an admission step (benchmarks).</param>
/// <param name="Objectives">The reference-named request metrics; null where the services are put together by hand.</param>
/// <param name="Freshness">Whether the pool snapshot has expired; null where the services are put together by hand.</param>
/// <param name="Time">The clock of the request-body deadline; null means the system clock.</param>
/// <param name="BodyBudget">What all request bodies may hold together; null (no budget) where the services are put together by hand.</param>
internal sealed record ExchangeServices(
    Scheduler Scheduler,
    InFlightLoad InFlight,
    ISchedulingProfileSource Profiles,
    CatalogStore Catalog,
    IRandomSource Random,
    PickerMetrics Metrics,
    IOptions<PickerOptions> Options,
    ILogger<RequestExchange> Logger,
    AdmissionGate? Admission = null,
    ObjectiveMetrics? Objectives = null,
    PoolDataFreshness? Freshness = null,
    TimeProvider? Time = null,
    BodyMemoryBudget? BodyBudget = null);
