using k8s;

namespace Suite.MetricsCollector.Discovery;

internal static class KubernetesDiscoveryServiceCollectionExtensions
{
    /// <summary>The API client from the in-cluster service account, or from the kubeconfig outside a cluster.</summary>
    public static IServiceCollection AddKubernetesDiscovery(this IServiceCollection services)
    {
        services.AddSingleton<IKubernetes>(_ => new k8s.Kubernetes(KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile()));
        services.AddSingleton<KubernetesDiscovery>();
        services.AddSingleton<IEndpointDiscovery>(provider => provider.GetRequiredService<KubernetesDiscovery>());
        services.AddHostedService(provider => provider.GetRequiredService<KubernetesDiscovery>());
        return services;
    }
}
