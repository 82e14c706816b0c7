using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Microsoft.Extensions.Options;
using Suite.Contracts.Flow;
using Suite.Picker.Admission;
using Suite.Picker.DecisionSharing;
using Suite.Picker.Security;

namespace Suite.Picker.Hosting;

/// <summary>Service-level settings (configuration section <c>Picker</c>); scheduling lives in the profile file.</summary>
public sealed class PickerOptions
{
    public const string Section = "Picker";

    /// <summary>Port of the ext_proc gRPC server (h2c, or TLS with <see cref="Tls"/>). Flag <c>--grpc-port</c>.</summary>
    public int GrpcPort { get; set; } = 9002;

    /// <summary>Port of the gRPC health server. Flag <c>--health-port</c>.</summary>
    public int HealthPort { get; set; } = 9003;

    /// <summary>YAML file with the pool's endpoints and their figures. Flag <c>--pool-file</c>.</summary>
    public string? PoolFile { get; set; }

    /// <summary>
    /// The InferencePool this picker serves when its figures come from the metrics-collector (the <c>pod-state</c>
    /// topic, and the state store at start-up) instead of a pool file. Flag <c>--pool-name</c>.
    /// </summary>
    public string? PoolName { get; set; }

    /// <summary>
    /// With <see cref="PoolName"/>: how old the newest <c>pod-state</c> snapshot may grow before the picker stops
    /// routing on it and ends each stream with gRPC UNAVAILABLE, so the gateway applies the pool's
    /// <c>failureMode</c>; readiness fails too. <see cref="TimeSpan.Zero"/> routes on the last snapshot for ever.
    /// </summary>
    public TimeSpan PoolDataExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What to do with a model name the pool's catalog does not list: pass it through unchanged at Standard
    /// criticality (the reference picker's behaviour), or answer 404. Without any catalog, everything passes.
    /// </summary>
    public UnknownModelPolicy UnknownModels { get; set; } = UnknownModelPolicy.PassThrough;

    /// <summary>Port for plain HTTP: the Dapr sidecar's app port (subscriptions) and Prometheus metrics. Flag <c>--http-port</c>.</summary>
    public int HttpPort { get; set; } = 9090;

    /// <summary>YAML scheduling profile; the built-in default applies without one. Flag <c>--config-file</c>.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>Largest request body the picker accepts; a larger one is answered with 413.</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Request-body bytes all streams together may hold while their bodies arrive and their requests are decided
    /// (one-chunk bodies kept in place count too); a request whose body would take the total past it is answered
    /// with 503. The default, 256 MiB, is 16 bodies at the 16 MiB limit: the pooled arrays holding them are under
    /// twice the body bytes, so at most 512 MiB, which leaves half of the deployment's 1 GiB memory limit to the
    /// rest of the process. From <see cref="MaxRequestBodyBytes"/> (one body must fit) to <see cref="MaxBufferedBodyBytesCeiling"/>.
    /// </summary>
    public long MaxBufferedBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The largest <see cref="MaxBufferedBodyBytes"/> accepted (64 GiB): a larger one is a typo.</summary>
    public const long MaxBufferedBodyBytesCeiling = 64L * 1024 * 1024 * 1024;

    /// <summary>
    /// Longest time from the request headers to the end of the request body; a body still incomplete then is
    /// answered with 408 and its buffered part released. Routing, the queue and the response are not counted.
    /// </summary>
    public TimeSpan RequestBodyTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How the gateway sends request bodies when it does not say so in <c>protocol_config</c>.</summary>
    public ProcessingMode.Types.BodySendMode RequestBodyMode { get; set; } = ProcessingMode.Types.BodySendMode.FullDuplexStreamed;

    /// <summary>How the gateway sends response bodies when it does not say so in <c>protocol_config</c>.</summary>
    public ProcessingMode.Types.BodySendMode ResponseBodyMode { get; set; } = ProcessingMode.Types.BodySendMode.FullDuplexStreamed;

    /// <summary>
    /// Run socket continuations on the I/O thread instead of queueing them to the thread pool. Nothing on the
    /// picker's request path blocks, so this is safe, and it cuts tail latency (bench/results); turn it off only
    /// if a future extension does blocking work in a handler.
    /// </summary>
    public bool InlineSocketScheduling { get; set; } = true;

    /// <summary>
    /// The queue service that decides for a saturated pool (<c>Picker:Queue</c>). Flag <c>--queue-address</c> sets
    /// its first (or only) replica.
    /// </summary>
    public AdmissionQueueOptions Queue { get; set; } = new();

    /// <summary>When the pool counts as saturated (<c>Picker:Saturation</c>); set it as the queue's <c>Queue:Saturation</c>.</summary>
    public SaturationThresholds Saturation { get; set; } = new();

    /// <summary>This replica's name on the <c>routing-decisions</c> topic (<c>Picker:ReplicaId</c>); HOSTNAME (the pod name) or a generated id when unset.</summary>
    public string? ReplicaId { get; set; }

    /// <summary>How prefix-cache placements are shared with peer replicas (<c>Picker:Prefix</c>).</summary>
    public PrefixSharingOptions Prefix { get; set; } = new();

    /// <summary>TLS, and optionally client certificates, on the ext_proc port (<c>Picker:Tls</c>).</summary>
    public ExtProcTlsOptions Tls { get; set; } = new();

    /// <summary>Command-line flags and the configuration keys they set.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--grpc-port"] = $"{Section}:{nameof(GrpcPort)}",
        ["--health-port"] = $"{Section}:{nameof(HealthPort)}",
        ["--pool-file"] = $"{Section}:{nameof(PoolFile)}",
        ["--pool-name"] = $"{Section}:{nameof(PoolName)}",
        ["--http-port"] = $"{Section}:{nameof(HttpPort)}",
        ["--config-file"] = $"{Section}:{nameof(ConfigFile)}",
        ["--queue-address"] = $"{Section}:{nameof(Queue)}:{nameof(AdmissionQueueOptions.Addresses)}:0",
    };
}

public enum UnknownModelPolicy
{
    PassThrough,
    Reject,
}

internal sealed class PickerOptionsValidator : IValidateOptions<PickerOptions>
{
    public ValidateOptionsResult Validate(string? name, PickerOptions options)
    {
        var failures = new List<string>();
        CheckPort(failures, nameof(options.GrpcPort), options.GrpcPort);
        CheckPort(failures, nameof(options.HealthPort), options.HealthPort);
        CheckPort(failures, nameof(options.HttpPort), options.HttpPort);
        if (options.GrpcPort == options.HealthPort)
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.HealthPort)} must differ from {PickerOptions.Section}:{nameof(options.GrpcPort)} ({options.GrpcPort}).");
        }

        if (options.HttpPort == options.GrpcPort || options.HttpPort == options.HealthPort)
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.HttpPort)} ({options.HttpPort}) must differ from the gRPC and health ports.");
        }

        if (!string.IsNullOrEmpty(options.PoolFile) && !string.IsNullOrEmpty(options.PoolName))
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.PoolFile)} and {PickerOptions.Section}:{nameof(options.PoolName)} are alternatives: a pool file, or a pool fed by the metrics-collector, not both.");
        }

        if (options.PoolDataExpiry != TimeSpan.Zero && (options.PoolDataExpiry < TimeSpan.FromSeconds(1) || options.PoolDataExpiry > TimeSpan.FromHours(1)))
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.PoolDataExpiry)} must be 00:00:00 (never) or between 00:00:01 and 01:00:00, not {options.PoolDataExpiry:c}.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 1024 * 1024 * 1024)
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.MaxRequestBodyBytes)} must be between 1024 and 1073741824 bytes, not {options.MaxRequestBodyBytes}.");
        }

        if (options.MaxBufferedBodyBytes < options.MaxRequestBodyBytes || options.MaxBufferedBodyBytes > PickerOptions.MaxBufferedBodyBytesCeiling)
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.MaxBufferedBodyBytes)} must be at least {PickerOptions.Section}:{nameof(options.MaxRequestBodyBytes)} ({options.MaxRequestBodyBytes}) and at most {PickerOptions.MaxBufferedBodyBytesCeiling} bytes, not {options.MaxBufferedBodyBytes}.");
        }

        if (options.RequestBodyTimeout <= TimeSpan.Zero || options.RequestBodyTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.RequestBodyTimeout)} must be a duration above 0 and at most 01:00:00 (e.g. 00:01:00), not {options.RequestBodyTimeout:c}.");
        }

        if (options.RequestBodyMode is not (ProcessingMode.Types.BodySendMode.FullDuplexStreamed or ProcessingMode.Types.BodySendMode.Buffered))
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.RequestBodyMode)} must be FullDuplexStreamed or Buffered, not {options.RequestBodyMode}.");
        }

        if (!Enum.IsDefined(options.UnknownModels))
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.UnknownModels)} must be PassThrough or Reject, not {options.UnknownModels}.");
        }

        if (!Enum.IsDefined(options.ResponseBodyMode))
        {
            failures.Add($"{PickerOptions.Section}:{nameof(options.ResponseBodyMode)} {options.ResponseBodyMode} is not a body mode.");
        }

        AdmissionOptionsValidation.Check(options, failures);
        PrefixSharingOptions.Check(options.Prefix, failures);
        ExtProcTlsOptions.Check(options.Tls, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPort(List<string> failures, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"{PickerOptions.Section}:{key} must be a TCP port (1-65535), not {port}.");
        }
    }
}
