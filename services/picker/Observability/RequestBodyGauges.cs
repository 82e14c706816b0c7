using System.Diagnostics.Metrics;
using Suite.Picker.ExtProc;

namespace Suite.Picker.Observability;

/// <summary>
/// How much of <c>Picker:MaxBufferedBodyBytes</c> the request bodies hold, read at each scrape, so an operator
/// sees the budget filling before requests get 503 <c>picker_body_budget</c>.
/// </summary>
internal sealed class RequestBodyGauges
{
    public const string BufferedBytes = "picker.request_bodies.buffered_bytes";
    public const string BudgetBytes = "picker.request_bodies.budget_bytes";

    public RequestBodyGauges(IMeterFactory meterFactory, BodyMemoryBudget budget)
    {
        var meter = meterFactory.Create(PickerMetrics.MeterName);
        meter.CreateObservableGauge(BufferedBytes, () => budget.Reserved, "By",
            "Request-body bytes the picker's streams hold now, out of Picker:MaxBufferedBodyBytes.");
        meter.CreateObservableGauge(BudgetBytes, () => budget.Limit, "By",
            "Picker:MaxBufferedBodyBytes: request-body bytes all streams may hold together.");
    }
}
