using System.Reflection;

namespace Suite.Deploy.Tests.Apps;

/// <summary>
/// One of the four services as the manifests must see it: its Dapr app-id, the configuration section its
/// options bind from, the ports those options default to, and every section it reads settings from.
/// </summary>
/// <param name="Ports">Port settings by property name (HttpPort, GrpcPort, ...) with their defaults.</param>
/// <param name="Bindings">Configuration prefixes and the types bound there, e.g. <c>Picker</c> → PickerOptions.</param>
internal sealed record SuiteApp(
    string AppId,
    string Section,
    Assembly Assembly,
    IReadOnlyDictionary<string, int> Ports,
    IReadOnlyList<OptionBinding> Bindings)
{
    public const string HttpPort = nameof(HttpPort);
    public const string GrpcPort = nameof(GrpcPort);

    /// <summary>The environment variable that sets a setting of this app's own section, e.g. <c>Picker__HttpPort</c>.</summary>
    public string EnvironmentKey(string property) => $"{Section}__{property}";

    /// <summary>
    /// Each port the app listens on given its environment: the variable's value when it sets one, the default otherwise.
    /// A value that is not a number stays out (the options check reports it).
    /// </summary>
    public IReadOnlyDictionary<string, int> EffectivePorts(IReadOnlyDictionary<string, string?> environment)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (property, fallback) in Ports)
        {
            var key = environment.Keys.FirstOrDefault(name => string.Equals(name, EnvironmentKey(property), StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                ports[property] = fallback;
            }
            else if (int.TryParse(environment[key], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                ports[property] = port;
            }
        }

        return ports;
    }
}

/// <summary>Configuration keys under <paramref name="Prefix"/> (':'-separated) bind to <paramref name="Target"/>.</summary>
internal sealed record OptionBinding(string Prefix, Type Target);
