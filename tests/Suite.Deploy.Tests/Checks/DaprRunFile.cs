using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// dapr.yaml against the services and the cluster: the same app-ids as deploy/base, each appPort the port its app
/// serves HTTP on (set through the app's own key, since the services bind Kestrel themselves), no port taken twice
/// on the machine, and paths that exist.
/// </summary>
internal static class DaprRunFile
{
    public const string FileName = "dapr.yaml";

    private static readonly string[] DaprPorts = ["daprHTTPPort", "daprGRPCPort", "metricsPort"];

    public static IReadOnlyList<string> Check(JsonObject runFile, IReadOnlyCollection<string> clusterAppIds)
    {
        ArgumentNullException.ThrowIfNull(runFile);
        ArgumentNullException.ThrowIfNull(clusterAppIds);
        var problems = new List<string>();
        var apps = DaprRunApp.In(runFile);
        foreach (var missing in clusterAppIds.Except(apps.Select(app => app.AppId)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{FileName} runs no app {missing}, which deploy/base runs");
        }

        var ports = new List<(int Port, string User)>();
        foreach (var app in apps)
        {
            if (!clusterAppIds.Contains(app.AppId))
            {
                problems.Add($"{FileName} runs app {app.AppId}, which deploy/base does not run");
            }

            foreach (var port in DaprPorts)
            {
                if (app.Json.At(port).Int() is { } number)
                {
                    ports.Add((number, $"{app.AppId} {port}"));
                }
            }

            if (SuiteApps.ById(app.AppId) is not { } suiteApp)
            {
                continue;
            }

            var listening = suiteApp.EffectivePorts(app.Environment);
            foreach (var (property, number) in listening)
            {
                ports.Add((number, $"{app.AppId} {suiteApp.EnvironmentKey(property)}"));
            }

            var httpPort = listening[SuiteApp.HttpPort];
            if (app.AppPort != httpPort)
            {
                problems.Add($"{FileName} app {app.AppId}: appPort {app.AppPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} is not the port the app serves HTTP on, {suiteApp.EnvironmentKey(SuiteApp.HttpPort)} = {httpPort}");
            }

            CheckPath(app.Json.At("appDirPath").Text(), $"app {app.AppId} appDirPath", problems);
        }

        foreach (var shared in ports.GroupBy(entry => entry.Port).Where(group => group.Count() > 1))
        {
            problems.Add($"{FileName}: port {shared.Key} is taken by {string.Join(" and ", shared.Select(entry => entry.User))}");
        }

        CheckPath(runFile.At("common", "resourcesPath").Text(), "common resourcesPath", problems);
        CheckPath(runFile.At("common", "configFilePath").Text(), "common configFilePath", problems);
        return problems;
    }

    // Paths in dapr.yaml are relative to its own folder, the repository root.
    private static void CheckPath(string? path, string field, List<string> problems)
    {
        if (path is not null && !File.Exists(Repository.PathOf(path)) && !Directory.Exists(Repository.PathOf(path)))
        {
            problems.Add($"{FileName} {field}: {path} does not exist");
        }
    }
}
