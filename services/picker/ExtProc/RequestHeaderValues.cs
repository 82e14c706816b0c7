using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;

namespace Suite.Picker.ExtProc;

/// <summary>
/// The few request headers the picker acts on, read once from Envoy's header map. Envoy lower-cases keys and
/// puts values in <c>raw_value</c>; <c>value</c> is read when <c>raw_value</c> is empty. The first of repeated
/// headers counts.
/// </summary>
internal sealed class RequestHeaderValues
{
    public string? Path { get; private set; }

    public string? ContentType { get; private set; }

    public string? RequestId { get; private set; }

    public string? ModelNameRewrite { get; private set; }

    public string? InferenceObjective { get; private set; }

    public string FairnessId { get; private set; } = GatewayHeaders.DefaultFairnessId;

    public string? TraceParent { get; private set; }

    public string? TraceState { get; private set; }

    /// <summary>Gateway-owned headers the client sent; they are consumed here and not forwarded upstream.</summary>
    public List<string>? ToRemove { get; private set; }

    /// <summary>Whether the body should be read as JSON: content-type absent or naming JSON.</summary>
    public bool BodyIsJson => ContentType is null || ContentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    public static RequestHeaderValues Read(HeaderMap? map)
    {
        var values = new RequestHeaderValues();
        if (map is null)
        {
            return values;
        }

        foreach (var header in map.Headers)
        {
            switch (header.Key)
            {
                case GatewayHeaders.Path:
                    values.Path ??= ValueOf(header);
                    break;
                case GatewayHeaders.ContentType:
                    values.ContentType ??= ValueOf(header);
                    break;
                case GatewayHeaders.RequestId:
                    values.RequestId ??= NonEmpty(ValueOf(header));
                    break;
                case GatewayHeaders.ModelNameRewrite:
                    values.ModelNameRewrite ??= NonEmpty(ValueOf(header)?.Trim());
                    values.Consume(header.Key);
                    break;
                case GatewayHeaders.InferenceObjective:
                    values.InferenceObjective ??= NonEmpty(ValueOf(header));
                    values.Consume(header.Key);
                    break;
                case GatewayHeaders.FairnessId:
                    values.FairnessId = NonEmpty(ValueOf(header)) ?? values.FairnessId;
                    values.Consume(header.Key);
                    break;
                case GatewayHeaders.TraceParent:
                    values.TraceParent ??= NonEmpty(ValueOf(header));
                    break;
                case GatewayHeaders.TraceState:
                    values.TraceState ??= NonEmpty(ValueOf(header));
                    break;
            }
        }

        return values;
    }

    /// <summary>
    /// The gateway's subset hint from <c>metadata_context.filter_metadata["envoy.lb"]</c>; null when absent,
    /// empty when present but naming nothing.
    /// </summary>
    public static string[]? ReadSubset(Metadata? metadata)
    {
        if (metadata is null
            || !metadata.FilterMetadata.TryGetValue(GatewayHeaders.LbMetadataNamespace, out var lb)
            || !lb.Fields.TryGetValue(GatewayHeaders.DestinationEndpointSubset, out var subset))
        {
            return null;
        }

        return subset.KindCase switch
        {
            Value.KindOneofCase.ListValue => StringsOf(subset.ListValue),
            Value.KindOneofCase.StringValue => SplitList(subset.StringValue),
            _ => [],
        };
    }

    /// <summary>The endpoint that actually served the request, from the response's metadata context.</summary>
    public static string? ReadServedEndpoint(Metadata? metadata) =>
        metadata is not null
        && metadata.FilterMetadata.TryGetValue(GatewayHeaders.LbMetadataNamespace, out var lb)
        && lb.Fields.TryGetValue(GatewayHeaders.DestinationEndpointServed, out var served)
        && served.KindCase == Value.KindOneofCase.StringValue
            ? NonEmpty(served.StringValue)
            : null;

    private void Consume(string key)
    {
        ToRemove ??= [];
        if (!ToRemove.Contains(key))
        {
            ToRemove.Add(key);
        }
    }

    private static string? ValueOf(HeaderValue header) =>
        header.RawValue.IsEmpty ? header.Value : header.RawValue.ToStringUtf8();

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string[] StringsOf(ListValue list)
    {
        var result = new List<string>(list.Values.Count);
        foreach (var item in list.Values)
        {
            if (item.KindCase == Value.KindOneofCase.StringValue)
            {
                result.AddRange(SplitList(item.StringValue));
            }
        }

        return [.. result];
    }

    private static string[] SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
