using System.Diagnostics;

namespace Suite.Picker.Observability;

/// <summary>
/// The picker's spans: one per request (<c>ext_proc</c>), continuing the gateway's <c>traceparent</c>, with
/// children for the steps that take time (<c>resolve</c>, <c>admit</c>, <c>schedule</c>). Nothing is recorded
/// unless a listener (the OpenTelemetry SDK, when an OTLP endpoint is configured) samples it.
/// </summary>
public static class PickerTracing
{
    public const string SourceName = "Suite.Picker";

    /// <summary>The request span's tag holding <c>x-request-id</c>, to find a request's trace from its logs.</summary>
    public const string RequestIdTag = "http.request.header.x-request-id";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The request's span; parented on the gateway's trace when its headers carry a valid one.</summary>
    public static Activity? StartRequest(string? traceParent, string? traceState)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        if (traceParent is not null && ActivityContext.TryParse(traceParent, traceState, out var parent))
        {
            return Source.StartActivity("ext_proc", ActivityKind.Server, parent);
        }

        // The HTTP request carries no trace: start one, not a child of whatever span the gRPC stream runs in.
        // The change to Activity.Current stays inside the caller's async flow.
        Activity.Current = null;
        return Source.StartActivity("ext_proc", ActivityKind.Server);
    }

    /// <summary>A step of <paramref name="request"/>; null when the request is not traced.</summary>
    public static Activity? StartStep(Activity? request, string name) =>
        request is null ? null : Source.StartActivity(name, ActivityKind.Internal, request.Context);
}
