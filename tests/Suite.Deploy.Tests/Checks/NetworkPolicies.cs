using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// The suite's NetworkPolicies: every service's pods are selected by one, every port the app listens on is let in
/// from named peers only (no rule open to all), the sidecar's own API ports are not, the picker's ext_proc port
/// admits gateways only, and the queue's port admits the pickers.
/// </summary>
internal static class NetworkPolicies
{
    private const int DaprMetricsPort = 9091;
    private static readonly int[] SidecarApiPorts = [3500, 50001];

    public static IReadOnlyList<string> Check(ManifestSet rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var problems = new List<string>();
        var policies = rendered.OfKind("NetworkPolicy").ToList();
        var workloads = DaprAnnotations.SidecarWorkloads(rendered).Where(w => w.App is not null).ToList();
        foreach (var (pod, app) in workloads)
        {
            var where = $"{rendered.Source}: {pod.Owner.Title}";
            var selecting = policies.Where(policy => pod.MatchesSelector(policy.Json.At("spec", "podSelector", "matchLabels").StringMap())).ToList();
            if (selecting.Count == 0)
            {
                problems.Add($"{where}: no NetworkPolicy selects its pods, so anyone in the cluster can reach every port");
                continue;
            }

            var rules = selecting.SelectMany(policy => policy.Json.At("spec", "ingress").Objects().Select(rule => (Policy: policy, Rule: rule))).ToList();
            foreach (var (policy, rule) in rules)
            {
                if (rule.At("from") is not JsonArray { Count: > 0 } peers || peers.Objects().Any(IsEveryone))
                {
                    problems.Add($"{where}: {policy.Title} has an ingress rule open to every source");
                }

                foreach (var port in SidecarApiPorts.Where(port => Admits(rule, port)))
                {
                    problems.Add($"{where}: {policy.Title} lets in the sidecar's API port {port}, which only the app in the pod may call");
                }
            }

            var container = DaprAnnotations.AppContainer(pod, app!.AppId);
            var listening = (container is null ? [] : PodTemplate.Ports(container).Select(port => port.Number).OfType<int>()).Append(DaprMetricsPort);
            foreach (var port in listening.Where(port => !rules.Any(r => Admits(r.Rule, port))))
            {
                problems.Add($"{where}: no NetworkPolicy rule lets anyone reach port {port}");
            }
        }

        CheckPeers(rendered, workloads.Select(w => w.Pod).ToList(), policies, problems);
        return problems;
    }

    /// <summary>The ext_proc port admits none of the suite's own pods (only gateways), and the queue admits the pickers.</summary>
    private static void CheckPeers(ManifestSet rendered, List<PodTemplate> pods, List<Manifest> policies, List<string> problems)
    {
        var picker = pods.FirstOrDefault(pod => pod.Owner.Name == "picker");
        var queue = pods.FirstOrDefault(pod => pod.Owner.Name == "queue");
        if (picker is null || queue is null)
        {
            return;
        }

        foreach (var (policy, rule) in RulesFor(picker, policies).Where(r => Admits(r.Rule, 9002)))
        {
            foreach (var admitted in pods.Where(pod => Peers(rule).Any(peer => SelectsInNamespace(peer, pod))))
            {
                problems.Add($"{rendered.Source}: {policy.Title}: the ext_proc port 9002 admits {admitted.Owner.Title}; only gateways may ask for routes");
            }
        }

        var queueAdmitsPickers = RulesFor(queue, policies).Any(r => Admits(r.Rule, 9004) && Peers(r.Rule).Any(peer => SelectsInNamespace(peer, picker)));
        if (!queueAdmitsPickers)
        {
            problems.Add($"{rendered.Source}: no NetworkPolicy rule lets the pickers reach the queue on 9004");
        }
    }

    /// <summary>A peer with a pod selector and no namespace selector picks pods of the policy's own namespace.</summary>
    private static bool SelectsInNamespace(JsonObject peer, PodTemplate pod) =>
        peer.At("namespaceSelector") is null
        && peer.At("podSelector") is not null
        && pod.MatchesSelector(peer.At("podSelector", "matchLabels").StringMap());

    private static IEnumerable<(Manifest Policy, JsonObject Rule)> RulesFor(PodTemplate pod, List<Manifest> policies) =>
        policies.Where(policy => pod.MatchesSelector(policy.Json.At("spec", "podSelector", "matchLabels").StringMap()))
            .SelectMany(policy => policy.Json.At("spec", "ingress").Objects().Select(rule => (policy, rule)));

    private static IEnumerable<JsonObject> Peers(JsonObject rule) => rule.At("from").Objects();

    /// <summary>A peer with empty selectors (or none) matches every pod, or every namespace.</summary>
    private static bool IsEveryone(JsonObject peer) =>
        peer.At("ipBlock") is null
        && peer.At("podSelector", "matchLabels").StringMap().Count == 0
        && peer.At("namespaceSelector", "matchLabels").StringMap().Count == 0;

    /// <summary>Whether the rule covers TCP <paramref name="port"/>; a rule without ports covers all of them.</summary>
    private static bool Admits(JsonObject rule, int port) =>
        rule.At("ports") is not JsonArray { Count: > 0 } ports
        || ports.Objects().Any(p => p.At("port").Int() == port && (p.At("protocol").Text() ?? "TCP") == "TCP");
}
