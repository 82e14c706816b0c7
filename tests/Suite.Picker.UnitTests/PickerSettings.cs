using Microsoft.Extensions.Configuration;
using Suite.Picker.Hosting;

namespace Suite.Picker.UnitTests;

/// <summary><c>Picker</c> settings bound from configuration keys as an operator writes them, and the start-up check's verdict.</summary>
internal static class PickerSettings
{
    public static PickerOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new PickerOptions();
        configuration.GetSection(PickerOptions.Section).Bind(options);
        return options;
    }

    public static string[] Failures(PickerOptions options)
    {
        var result = new PickerOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures!] : [];
    }
}
