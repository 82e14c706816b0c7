using System.Globalization;
using System.Text;

namespace Suite.Host.Hosting;

/// <summary>What the suite prints once it is ready: where everything is, and a request to try.</summary>
internal static class StartupSummary
{
    public static string Text(EmbeddedSuite suite, TimeSpan startedIn)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');

        Line(string.Create(CultureInfo.InvariantCulture, $"suite: ready in {startedIn.TotalSeconds:0.0} s ({suite.Cluster.Path})"));
        Line($"  gateway    {Trim(suite.GatewayAddress)}   (OpenAI API: /v1/chat/completions, /v1/completions; readiness {GatewayPath(suite, "healthz/ready")})");
        Line($"  dashboard  {suite.DashboardAddress}");
        foreach (var pool in suite.Pools)
        {
            var failure = pool.Pool.View.FailOpen ? "FailOpen" : "FailClose";
            var role = pool.Pool.Index == 0 ? ", default pool" : "";
            var simulated = pool.Simulation is { } simulation
                ? $", {simulation.Instances} simulated pods, preset {simulation.Preset}"
                : ", pods from the cluster file";
            Line($"  pool {pool.Name}: picker (ext_proc, h2c) {pool.Picker.Authority}, {failure}{role}{simulated}");
            var endpoints = suite.Endpoints.Latest(pool.Name);
            Line(endpoints.IsEmpty
                ? "    pods:   none ready yet"
                : $"    pods:   {string.Join(", ", endpoints.Select(endpoint => $"{endpoint.PodName} {endpoint.Address}"))}");
            var models = ModelsOf(suite, pool);
            Line(models.Count == 0 ? "    models: none declared (unlisted names go to the default pool)" : $"    models: {string.Join(", ", models)}");
        }

        Line($"  queue      {suite.QueueAddress.Authority} (h2c)");
        Line($"  metrics    {suite.MetricsAddress}   (every service; the pickers of all pools are summed)");
        Line($"  health     {suite.HealthAddress.Authority} (grpc.health.v1: liveness, readiness)");
        Line("  try:");
        Line($"    curl -s {GatewayPath(suite, "v1/chat/completions")} -H 'content-type: application/json' \\");
        Line($"      -d '{{\"model\":\"{SampleModel(suite)}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello!\"}}]}}'");
        Line("  Ctrl-C stops the suite.");
        return text.ToString();
    }

    private static IReadOnlyList<string> ModelsOf(EmbeddedSuite suite, SuitePool pool)
    {
        var routed = suite.Router.ModelsOf(pool.Name);
        return routed.Count > 0 ? routed : pool.Pool.Models; // before the catalog's first snapshot: the file's InferenceModels
    }

    private static string SampleModel(EmbeddedSuite suite)
    {
        foreach (var pool in suite.Pools)
        {
            if (ModelsOf(suite, pool) is [var model, ..])
            {
                return model;
            }
        }

        return suite.Pools.SelectMany(pool => suite.Endpoints.Latest(pool.Name)).Select(endpoint => endpoint.BaseModel).FirstOrDefault(name => name is not null)
            ?? "my-model";
    }

    private static string Trim(Uri address) => address.ToString().TrimEnd('/');

    private static string GatewayPath(EmbeddedSuite suite, string path) => new Uri(suite.GatewayAddress, path).ToString();
}
