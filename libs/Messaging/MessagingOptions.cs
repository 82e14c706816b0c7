using Microsoft.Extensions.Options;

namespace Suite.Messaging;

public enum MessagingMode
{
    /// <summary>Through the Dapr sidecar: pub/sub and state components (Redis in <c>components/</c>).</summary>
    Dapr,

    /// <summary>In this process: for the embedded suite and tests, where every service shares one bus and store.</summary>
    InMemory,
}

/// <summary>How a service reaches the event bus and the state store (configuration section <c>Messaging</c>).</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    public MessagingMode Mode { get; set; } = MessagingMode.Dapr;

    /// <summary>Name of the Dapr pub/sub component (<c>components/pubsub.yaml</c>).</summary>
    public string PubSubName { get; set; } = "pubsub";

    /// <summary>Name of the Dapr state-store component (<c>components/statestore.yaml</c>).</summary>
    public string StateStoreName { get; set; } = "statestore";

    /// <summary>
    /// The token the Dapr sidecar sends with every call to the app (header <c>dapr-api-token</c>). When set, the
    /// subscription endpoints answer 401 to a call without it, so only the sidecar can deliver events. Defaults to
    /// <c>APP_API_TOKEN</c>, which the sidecar injector sets from the <c>dapr.io/app-token-secret</c> annotation.
    /// </summary>
    public string? AppApiToken { get; set; }

    /// <summary>The policy that admits only calls carrying <see cref="AppApiToken"/> (Dapr.AspNetCore's scheme).</summary>
    public const string SidecarPolicy = "Dapr";
}

internal sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"{MessagingOptions.Section}:{nameof(options.Mode)} must be Dapr or InMemory, not {options.Mode}.");
        }

        if (string.IsNullOrWhiteSpace(options.PubSubName))
        {
            failures.Add($"{MessagingOptions.Section}:{nameof(options.PubSubName)} must name the Dapr pub/sub component.");
        }

        if (string.IsNullOrWhiteSpace(options.StateStoreName))
        {
            failures.Add($"{MessagingOptions.Section}:{nameof(options.StateStoreName)} must name the Dapr state-store component.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
