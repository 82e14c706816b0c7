using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// Environment variables written as configuration keys (<c>Section__Key__Sub</c>, ':' spelled "__") must name a
/// setting the app binds, walked the way Microsoft.Extensions.Configuration binds them: properties by name (any case),
/// a number for an array or list index, a key for a dictionary, down to a value the setting's type can parse.
/// A misspelt key is otherwise ignored in silence and the default stays.
/// </summary>
internal static class OptionKeys
{
    private const string Separator = "__";

    public static IReadOnlyList<string> CheckWorkloads(ManifestSet rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var problems = new List<string>();
        foreach (var (pod, app) in DaprAnnotations.SidecarWorkloads(rendered))
        {
            if (app is not null && DaprAnnotations.AppContainer(pod, app.AppId) is { } container)
            {
                Check(app, PodTemplate.Environment(container), $"{rendered.Source}: {pod.Owner.Title}", problems);
            }
        }

        return problems;
    }

    public static IReadOnlyList<string> CheckRunFile(IReadOnlyList<DaprRunApp> apps)
    {
        ArgumentNullException.ThrowIfNull(apps);
        var problems = new List<string>();
        foreach (var app in apps)
        {
            if (SuiteApps.ById(app.AppId) is { } suiteApp)
            {
                Check(suiteApp, app.Environment, $"{DaprRunFile.FileName} app {app.AppId}", problems);
            }
        }

        return problems;
    }

    /// <summary>Why <paramref name="name"/> set to <paramref name="value"/> reaches no setting of the app; null when it does.</summary>
    public static string? Problem(SuiteApp app, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(name);
        var segments = name.Split(Separator);
        var bindings = app.Bindings
            .Select(binding => (binding, Prefix: binding.Prefix.Split(':')))
            .Where(candidate => candidate.Prefix.Length < segments.Length
                && candidate.Prefix.Select((part, index) => string.Equals(part, segments[index], StringComparison.OrdinalIgnoreCase)).All(same => same))
            .OrderByDescending(candidate => candidate.Prefix.Length)
            .ToList();
        if (bindings.Count == 0)
        {
            return $"{app.AppId} binds no section {segments[0]} (it reads {string.Join(", ", app.Bindings.Select(binding => binding.Prefix))})";
        }

        // Several types may share a section (Queue: QueueOptions and PoolPressureOptions): one that takes the key is enough.
        var problems = new List<string>();
        foreach (var (binding, prefix) in bindings)
        {
            if (Walk(binding.Target, segments.AsSpan(prefix.Length), value) is not { } problem)
            {
                return null;
            }

            if (prefix.Length == bindings[0].Prefix.Length)
            {
                problems.Add(problem);
            }
        }

        return string.Join("; ", problems);
    }

    private static void Check(SuiteApp app, IReadOnlyDictionary<string, string?> environment, string where, List<string> problems)
    {
        foreach (var (name, value) in environment.Where(variable => variable.Key.Contains(Separator, StringComparison.Ordinal)))
        {
            if (Problem(app, name, value) is { } problem)
            {
                problems.Add($"{where}: {name}: {problem}");
            }
        }
    }

    private static string? Walk(Type type, ReadOnlySpan<string> segments, string? value)
    {
        foreach (var segment in segments)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (IsScalar(type))
            {
                return $"{Describe(type)} is a setting, not a section: nothing binds {segment} under it";
            }

            if (DictionaryTypes(type) is { } dictionary)
            {
                if (!Converts(dictionary.Key, segment))
                {
                    return $"{segment} is not a key of {Describe(type)}";
                }

                type = dictionary.Value;
            }
            else if (ElementType(type) is { } element)
            {
                if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return $"{segment} is not an index of {Describe(type)}";
                }

                type = element;
            }
            else if (type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { CanRead: true } property
                && (property.SetMethod?.IsPublic == true || !IsScalar(property.PropertyType)))
            {
                type = property.PropertyType;
            }
            else
            {
                return $"{Describe(type)} has no settable property {segment}";
            }
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!IsScalar(type))
        {
            return $"names {Describe(type)}, a section, not a setting";
        }

        return value is null || Converts(type, value) ? null : $"\"{value}\" is not a valid {Describe(type)}";
    }

    private static bool IsScalar(Type type) => Nullable.GetUnderlyingType(type) is { } underlying ? IsScalar(underlying) :
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);

    private static (Type Key, Type Value)? DictionaryTypes(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(contract => contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments() is [var key, var value] ? (key, value) : null;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray
            ? type.GetElementType()
            : type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type) && type != typeof(string)
                ? element
                : null;

    // The binder turns configuration text into values with each type's TypeConverter, invariant culture.
    private static bool Converts(Type type, string text)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
            : type.Name;
}
