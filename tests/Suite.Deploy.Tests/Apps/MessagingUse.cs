using System.Reflection;
using Suite.Contracts.Messaging;
using Suite.Messaging;

namespace Suite.Deploy.Tests.Apps;

/// <summary>A Dapr component an app reaches through its sidecar, by the name the app asks for.</summary>
internal sealed record ComponentUse(string AppId, string Component);

/// <summary>
/// Which Dapr building blocks each service's code uses, read from the code: a type that takes an
/// <see cref="IEventPublisher"/> or handles a topic needs the pub/sub component, one that takes an
/// <see cref="IStateStore"/> the state store; the names are <see cref="MessagingOptions"/>' (or the app's override).
/// </summary>
internal static class MessagingUse
{
    private const BindingFlags AnyConstructor = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    /// <summary>Every topic name the services agree on (<see cref="SuiteTopics"/>).</summary>
    public static IReadOnlyList<string> Topics { get; } =
    [
        .. typeof(SuiteTopics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!),
    ];

    public static bool UsesPubSub(SuiteApp app) => Types(app).Any(type =>
        Takes(type, typeof(IEventPublisher))
        || type.GetInterfaces().Any(contract => contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(ITopicHandler<>)));

    public static bool UsesStateStore(SuiteApp app) => Types(app).Any(type => Takes(type, typeof(IStateStore)));

    /// <summary>The components each app uses given its environment (which may rename them through Messaging__*).</summary>
    public static IEnumerable<ComponentUse> Of(SuiteApp app, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(app);
        var defaults = new MessagingOptions();
        if (UsesPubSub(app))
        {
            yield return new ComponentUse(app.AppId, Override(environment, nameof(MessagingOptions.PubSubName)) ?? defaults.PubSubName);
        }

        if (UsesStateStore(app))
        {
            yield return new ComponentUse(app.AppId, Override(environment, nameof(MessagingOptions.StateStoreName)) ?? defaults.StateStoreName);
        }
    }

    private static string? Override(IReadOnlyDictionary<string, string?> environment, string property) =>
        environment.FirstOrDefault(variable =>
            string.Equals(variable.Key, $"{MessagingOptions.Section}__{property}", StringComparison.OrdinalIgnoreCase)).Value;

    private static IEnumerable<Type> Types(SuiteApp app) => app.Assembly.GetTypes().Where(type => type.IsClass && !type.IsAbstract);

    private static bool Takes(Type type, Type dependency) =>
        type.GetConstructors(AnyConstructor).Any(constructor => constructor.GetParameters().Any(parameter => parameter.ParameterType == dependency));
}
