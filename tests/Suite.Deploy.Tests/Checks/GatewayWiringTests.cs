using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

public sealed class GatewayWiringTests
{
    [Fact]
    public async Task EnvoyGateway_RoutesToThePoolAndCallsItsPicker()
    {
        Expect.NoProblems(EnvoyGatewayWiring.Check(await GatewayAsync(), await BaseAsync(), await PoolAsync()));
    }

    [Fact]
    public async Task PlainEnvoy_CallsThePickerAndRoutesOnTheDestinationHeader()
    {
        Expect.NoProblems(EnvoyBootstrap.Check(await Renderings.OfAsync(Kustomizations.Envoy), await BaseAsync()));
    }

    [Fact]
    public async Task EnvoyGateway_PolicyOnTheHealthPortAndBufferedResponses_Reported()
    {
        var gateway = (await GatewayAsync()).With("EnvoyExtensionPolicy", "llm-pool-picker", policy =>
        {
            var processor = policy["spec"]!["extProc"]![0]!;
            processor["backendRefs"]![0]!["port"] = 9003;
            processor["processingMode"]!["response"]!["body"] = "Buffered";
        });

        Assert.Equal(
            [
                "deploy/gateway/envoy-gateway: EnvoyExtensionPolicy llm-pool-picker: extProc backendRef: port 9003 is not the picker's ext_proc port 9002 (PickerOptions.GrpcPort)",
                "deploy/gateway/envoy-gateway: EnvoyExtensionPolicy llm-pool-picker: processingMode.response.body is Buffered, not FullDuplexStreamed",
            ],
            EnvoyGatewayWiring.Check(gateway, await BaseAsync(), await PoolAsync()));
    }

    [Fact]
    public async Task EnvoyGateway_RouteToAServiceAndPoolWithAnotherPicker_Reported()
    {
        var gateway = (await GatewayAsync()).With("HTTPRoute", "llm-route", route =>
            route["spec"]!["rules"]![0]!["backendRefs"]![0] = new JsonObject { ["group"] = "", ["kind"] = "Service", ["name"] = "picker" });
        var pool = (await PoolAsync()).With("InferencePool", "llm-pool", inferencePool =>
            inferencePool["spec"]!["endpointPickerRef"]!["name"] = "llm-pool-epp");

        Assert.Equal(
            [
                "deploy/gateway/envoy-gateway: HTTPRoute llm-route: backendRef Service picker in namespace inference-suite is not an InferencePool of "
                    + "deploy/model-servers/pool (inference.networking.k8s.io/InferencePool llm-pool in inference-suite)",
                "deploy/model-servers/pool: InferencePool llm-pool: endpointPickerRef: Service llm-pool-epp in namespace inference-suite is not one that "
                    + "selects the picker in deploy/base (picker in inference-suite, picker-headless in inference-suite)",
            ],
            EnvoyGatewayWiring.Check(gateway, await BaseAsync(), pool));
    }

    [Fact]
    public async Task PlainEnvoy_PickerOnAnotherPortAndRoutingOnAnotherHeader_Reported()
    {
        var envoy = await Renderings.OfAsync(Kustomizations.Envoy);
        var configMap = envoy.OfKind("ConfigMap").Single();
        var broken = envoy.With("ConfigMap", configMap.Name, map => map["data"]![EnvoyBootstrap.FileName] = map["data"]![EnvoyBootstrap.FileName]!.GetValue<string>()
            .Replace("port_value: 9002", "port_value: 9003", StringComparison.Ordinal)
            .Replace("http_header_name: x-gateway-destination-endpoint", "http_header_name: x-destination", StringComparison.Ordinal));

        Assert.Equal(
            [
                $"deploy/gateway/envoy: ConfigMap {configMap.Name} envoy.yaml: cluster picker endpoint picker-headless.inference-suite.svc.cluster.local:9003: "
                    + "port 9003 is not the picker's ext_proc port 9002 (PickerOptions.GrpcPort)",
                $"deploy/gateway/envoy: ConfigMap {configMap.Name} envoy.yaml: routes go to cluster llm-pool, which is not ORIGINAL_DST on header "
                    + "x-gateway-destination-endpoint (type ORIGINAL_DST, header x-destination)",
            ],
            EnvoyBootstrap.Check(broken, await BaseAsync()));
    }

    [Fact]
    public async Task PlainEnvoy_ExtProcOnAClusterOutsideDeployBase_Reported()
    {
        var envoy = await Renderings.OfAsync(Kustomizations.Envoy);
        var configMap = envoy.OfKind("ConfigMap").Single();
        var broken = envoy.With("ConfigMap", configMap.Name, map => map["data"]![EnvoyBootstrap.FileName] = map["data"]![EnvoyBootstrap.FileName]!.GetValue<string>()
            .Replace("address: picker-headless.inference-suite.svc.cluster.local", "address: picker-headless.default.svc.cluster.local", StringComparison.Ordinal));

        Assert.Equal(
            [
                $"deploy/gateway/envoy: ConfigMap {configMap.Name} envoy.yaml: cluster picker endpoint picker-headless.default.svc.cluster.local:9002: "
                    + "picker-headless.default.svc.cluster.local is not the name of a Service in deploy/base",
            ],
            EnvoyBootstrap.Check(broken, await BaseAsync()));
    }

    private static Task<ManifestSet> BaseAsync() => Renderings.OfAsync(Kustomizations.Base);

    private static Task<ManifestSet> GatewayAsync() => Renderings.OfAsync(Kustomizations.EnvoyGateway);

    private static Task<ManifestSet> PoolAsync() => Renderings.OfAsync(Kustomizations.Pool);
}
