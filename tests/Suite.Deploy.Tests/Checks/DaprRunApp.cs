using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>One app of dapr.yaml (Dapr CLI multi-app run) with its environment: common.env, then its own env.</summary>
internal sealed record DaprRunApp(string AppId, JsonObject Json, IReadOnlyDictionary<string, string?> Environment)
{
    public int? AppPort => Json.At("appPort").Int();

    /// <summary>The apps of a dapr.yaml document.</summary>
    public static IReadOnlyList<DaprRunApp> In(JsonObject runFile)
    {
        ArgumentNullException.ThrowIfNull(runFile);
        var common = Variables(runFile.At("common", "env"));
        return
        [
            .. runFile.At("apps").Objects().Select(app =>
            {
                var environment = new Dictionary<string, string?>(common, StringComparer.Ordinal);
                foreach (var (name, value) in Variables(app.At("env")))
                {
                    environment[name] = value;
                }

                return new DaprRunApp(app.At("appID").Text() ?? "", app, environment);
            }),
        ];
    }

    private static Dictionary<string, string?> Variables(JsonNode? env) =>
        env is JsonObject variables
            ? variables.ToDictionary(pair => pair.Key, pair => pair.Value.Text(), StringComparer.Ordinal)
            : new Dictionary<string, string?>(StringComparer.Ordinal);
}
