using System.Diagnostics.Metrics;
using Suite.Picker.Admission;
using Suite.Picker.Usage;

namespace Suite.Picker.Observability;

/// <summary>The picker's instruments, created from the host's <see cref="IMeterFactory"/>.</summary>
public sealed class PickerMetrics
{
    public const string MeterName = "Suite.Picker";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _decisionDuration;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _admissionDecisions;
    private readonly Counter<long> _admissionFallbacks;
    private readonly Counter<long> _sharedDecisions;

    public PickerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>(
            "picker.requests", "{request}",
            "Requests the picker answered, by outcome (routed, rejected, declined: its pool data expired, so the gateway applies the pool's failure mode), HTTP status and, when routed, the strategy (the profile's picker).");
        _decisionDuration = meter.CreateHistogram<double>(
            "picker.decision.duration", "s", "Time to schedule one request, from body received to endpoint chosen.");
        _tokens = meter.CreateCounter<long>(
            "picker.tokens", "{token}", "Tokens model servers reported in responses, by type (prompt, completion, cached).");
        _admissionDecisions = meter.CreateCounter<long>(
            "picker.admission.decisions", "{request}",
            "Admission decisions before scheduling, by outcome (admitted_unsaturated, admitted_by_queue, admitted_locally, shed, queue_full, expired).");
        _admissionFallbacks = meter.CreateCounter<long>(
            "picker.admission.fallbacks", "{request}",
            "Saturated-pool requests the picker decided itself instead of the queue, by reason (no_queue, unavailable, timeout, wrong_shard, bad_answer).");
        _sharedDecisions = meter.CreateCounter<long>(
            "picker.prefix.shared_decisions", "{decision}",
            "Routing decisions shared between replicas for prefix-cache affinity, by outcome (published, dropped: buffer full or bus failed, received: folded in from a peer).");
    }

    public void DecisionsPublished(int count) => SharedDecisions(count, "published");

    public void DecisionsDropped(int count) => SharedDecisions(count, "dropped");

    public void DecisionsReceived(int count) => SharedDecisions(count, "received");

    private void SharedDecisions(int count, string outcome)
    {
        if (_sharedDecisions.Enabled && count > 0)
        {
            _sharedDecisions.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void Routed(double seconds, string strategy)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new("outcome", "routed"), new("status", 200), new("strategy", strategy));
        }

        if (_decisionDuration.Enabled)
        {
            _decisionDuration.Record(seconds);
        }
    }

    public void Rejected(int status)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new("outcome", "rejected"), new("status", status));
        }
    }

    /// <summary>The pool data had expired: the stream ended with gRPC UNAVAILABLE and no HTTP status of the picker's.</summary>
    public void Declined()
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new KeyValuePair<string, object?>("outcome", "declined"));
        }
    }

    public void AdmissionDecided(AdmissionOutcome outcome)
    {
        if (_admissionDecisions.Enabled)
        {
            _admissionDecisions.Add(1, new KeyValuePair<string, object?>("outcome", AdmissionLabels.Of(outcome)));
        }
    }

    public void AdmissionFellBack(FallbackReason reason)
    {
        if (_admissionFallbacks.Enabled)
        {
            _admissionFallbacks.Add(1, new KeyValuePair<string, object?>("reason", AdmissionLabels.Of(reason)));
        }
    }

    public void Usage(in TokenUsage usage)
    {
        if (!_tokens.Enabled)
        {
            return;
        }

        _tokens.Add(usage.PromptTokens, new KeyValuePair<string, object?>("type", "prompt"));
        _tokens.Add(usage.CompletionTokens, new KeyValuePair<string, object?>("type", "completion"));
        _tokens.Add(usage.CachedTokens, new KeyValuePair<string, object?>("type", "cached"));
    }
}
