using System.Diagnostics;
using System.Diagnostics.Metrics;
using Suite.Picker.Usage;

namespace Suite.Picker.Observability;

/// <summary>
/// Per-request instruments under the reference endpoint picker's names and labels (<c>model_name</c> as the
/// client asked, <c>target_model_name</c> as the model server got it), so dashboards and alerts written for it
/// read this picker unchanged. The OpenTelemetry Prometheus exporter keeps the names as given: durations carry
/// unit <c>s</c> and already end in <c>_seconds</c>; counts and sizes use annotation units it drops.
/// </summary>
public sealed class ObjectiveMetrics
{
    public const string RequestTotal = "inference_objective_request_total";
    public const string RequestErrorTotal = "inference_objective_request_error_total";
    public const string RequestDuration = "inference_objective_request_duration_seconds";
    public const string RequestSizes = "inference_objective_request_sizes";
    public const string ResponseSizes = "inference_objective_response_sizes";
    public const string InputTokens = "inference_objective_input_tokens";
    public const string OutputTokens = "inference_objective_output_tokens";
    public const string NormalizedTimePerOutputToken = "inference_objective_normalized_time_per_output_token_seconds";
    public const string RunningRequests = "inference_objective_running_requests";
    public const string SchedulerDuration = "inference_extension_scheduler_e2e_duration_seconds";
    public const string Info = "inference_extension_info";

    private static readonly double[] DurationBuckets =
        [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600];

    private static readonly long[] SizeBuckets =
        [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4194304, 8388608, 16777216, 33554432, 67108864, 134217728];

    private static readonly long[] TokenBuckets =
        [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576];

    private static readonly double[] PerTokenBuckets =
        [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];

    private static readonly double[] SchedulerBuckets =
        [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _requestSizes;
    private readonly Histogram<long> _responseSizes;
    private readonly Histogram<long> _inputTokens;
    private readonly Histogram<long> _outputTokens;
    private readonly Histogram<double> _perToken;
    private readonly UpDownCounter<long> _running;
    private readonly Histogram<double> _scheduler;

    public ObjectiveMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PickerMetrics.MeterName);
        _requests = meter.CreateCounter<long>(RequestTotal, "{request}", "Requests, by the model asked for and the model served.");
        _errors = meter.CreateCounter<long>(RequestErrorTotal, "{request}", "Requests that failed, by model and error_code.");
        _duration = meter.CreateHistogram<double>(RequestDuration, "s", "From request headers to the end of the response.", advice: Buckets(DurationBuckets));
        _requestSizes = meter.CreateHistogram<long>(RequestSizes, "{byte}", "Request body sizes in bytes.", advice: Buckets(SizeBuckets));
        _responseSizes = meter.CreateHistogram<long>(ResponseSizes, "{byte}", "Response body sizes in bytes.", advice: Buckets(SizeBuckets));
        _inputTokens = meter.CreateHistogram<long>(InputTokens, "{token}", "Prompt tokens the model server reported.", advice: Buckets(TokenBuckets));
        _outputTokens = meter.CreateHistogram<long>(OutputTokens, "{token}", "Completion tokens the model server reported.", advice: Buckets(TokenBuckets));
        _perToken = meter.CreateHistogram<double>(
            NormalizedTimePerOutputToken, "s", "Request duration over completion tokens.", advice: Buckets(PerTokenBuckets));
        _running = meter.CreateUpDownCounter<long>(RunningRequests, "{request}", "Requests routed and not yet finished, by model.");
        _scheduler = meter.CreateHistogram<double>(SchedulerDuration, "s", "Time to schedule one request.", advice: Buckets(SchedulerBuckets));
        var build = BuildLabels();
        meter.CreateObservableGauge(Info, () => new Measurement<int>(1, build), "{build}", "1, labelled with the build's commit and version.");
    }

    /// <summary>A request that reached routing with <paramref name="bodyBytes"/> of body.</summary>
    public void Requested(string model, string target, int bodyBytes)
    {
        _requests.Add(1, Labels(model, target));
        _requestSizes.Record(bodyBytes, Labels(model, target));
    }

    public void Scheduled(double seconds) => _scheduler.Record(seconds);

    public void Started(string model) => _running.Add(1, new KeyValuePair<string, object?>("model_name", model));

    public void Stopped(string model) => _running.Add(-1, new KeyValuePair<string, object?>("model_name", model));

    public void Failed(string model, string target, string errorCode) =>
        _errors.Add(1, new("model_name", model), new("target_model_name", target), new("error_code", errorCode));

    /// <summary>A response that ended; <paramref name="usage"/> is null when the server reported none.</summary>
    public void Completed(string model, string target, double seconds, long responseBytes, TokenUsage? usage)
    {
        var labels = Labels(model, target);
        _duration.Record(seconds, labels);
        _responseSizes.Record(responseBytes, labels);
        if (usage is not { } reported)
        {
            return;
        }

        _inputTokens.Record(reported.PromptTokens, labels);
        _outputTokens.Record(reported.CompletionTokens, labels);
        if (reported.CompletionTokens > 0)
        {
            _perToken.Record(seconds / reported.CompletionTokens, labels);
        }
    }

    /// <summary>The SDK writes <c>version+commit</c> into the informational version when it builds from git.</summary>
    private static KeyValuePair<string, object?>[] BuildLabels()
    {
        var version = typeof(ObjectiveMetrics).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return
        [
            new("commit", plus < 0 ? "unknown" : version[(plus + 1)..]),
            new("build_ref", plus < 0 ? version : version[..plus]),
        ];
    }

    private static TagList Labels(string model, string target) => new() { { "model_name", model }, { "target_model_name", target } };

    private static InstrumentAdvice<double> Buckets(double[] bounds) => new() { HistogramBucketBoundaries = bounds };

    private static InstrumentAdvice<long> Buckets(long[] bounds) => new() { HistogramBucketBoundaries = bounds };
}
