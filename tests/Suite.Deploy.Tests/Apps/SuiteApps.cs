extern alias Catalog;
extern alias Collector;
extern alias Picker;
extern alias Queue;

using System.Reflection;
using Catalog::Suite.Catalog.Hosting;
using Collector::Suite.MetricsCollector.Hosting;
using Picker::Suite.Picker.ExtProc;
using Picker::Suite.Picker.Hosting;
using Queue::Suite.Queue.Hosting;
using Queue::Suite.Queue.Pressure;
using Suite.Messaging;

namespace Suite.Deploy.Tests.Apps;

/// <summary>
/// The four services, read from their own code: section names, port defaults and option types come from the
/// Options classes, so a renamed setting or a moved default shows up here without editing a table of numbers.
/// How each binds (services/*/Hosting/*HostingExtensions.cs, libs/Messaging): its own section, plus Messaging.
/// </summary>
internal static class SuiteApps
{
    public static SuiteApp Picker { get; } = new(
        "picker",
        PickerOptions.Section,
        typeof(PickerOptions).Assembly,
        new Dictionary<string, int>
        {
            [nameof(PickerOptions.HttpPort)] = new PickerOptions().HttpPort,
            [nameof(PickerOptions.GrpcPort)] = new PickerOptions().GrpcPort,
            [nameof(PickerOptions.HealthPort)] = new PickerOptions().HealthPort,
        },
        [new(PickerOptions.Section, typeof(PickerOptions)), Messaging]);

    public static SuiteApp MetricsCollector { get; } = new(
        "metrics-collector",
        CollectorOptions.Section,
        typeof(CollectorOptions).Assembly,
        new Dictionary<string, int> { [nameof(CollectorOptions.HttpPort)] = new CollectorOptions().HttpPort },
        [new(CollectorOptions.Section, typeof(CollectorOptions)), EngineMetricNames(typeof(CollectorOptions).Assembly), Messaging]);

    public static SuiteApp Catalog { get; } = new(
        "catalog",
        CatalogOptions.Section,
        typeof(CatalogOptions).Assembly,
        new Dictionary<string, int> { [nameof(CatalogOptions.HttpPort)] = new CatalogOptions().HttpPort },
        [new(CatalogOptions.Section, typeof(CatalogOptions)), Messaging]);

    public static SuiteApp Queue { get; } = new(
        "queue",
        QueueOptions.Section,
        typeof(QueueOptions).Assembly,
        new Dictionary<string, int>
        {
            [nameof(QueueOptions.HttpPort)] = new QueueOptions().HttpPort,
            [nameof(QueueOptions.GrpcPort)] = new QueueOptions().GrpcPort,
        },
        // The pressure publisher's pacing keys share the Queue section (services/queue/Pressure/PoolPressureOptions.cs).
        [new(QueueOptions.Section, typeof(QueueOptions)), new(PoolPressureOptions.Section, typeof(PoolPressureOptions)), Messaging]);

    public static IReadOnlyList<SuiteApp> All { get; } = [Picker, MetricsCollector, Catalog, Queue];

    public static IReadOnlyList<string> AppIds { get; } = [.. All.Select(app => app.AppId)];

    /// <summary>The ext_proc port the gateway must call (PROTOCOLS.md: 9002 by convention).</summary>
    public static int PickerGrpcPort => Picker.Ports[nameof(PickerOptions.GrpcPort)];

    /// <summary>The queue's admission and KEDA external-scaler port.</summary>
    public static int QueueGrpcPort => Queue.Ports[nameof(QueueOptions.GrpcPort)];

    /// <summary>The header a gateway routes on: the pod the picker chose (PROTOCOLS.md §2).</summary>
    public static string DestinationHeader => GatewayHeaders.DestinationEndpoint;

    public static SuiteApp? ById(string appId) => All.FirstOrDefault(app => app.AppId == appId);

    private static OptionBinding Messaging => new(MessagingOptions.Section, typeof(MessagingOptions));

    // Collector:Engines binds to EngineMetricsOptions.Engines, an internal type of the collector: reached by name.
    private static OptionBinding EngineMetricNames(Assembly collector)
    {
        var options = collector.GetType("Suite.MetricsCollector.Scraping.EngineMetricsOptions", throwOnError: true)!;
        var section = (string)options.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var engines = options.GetProperty("Engines", BindingFlags.Public | BindingFlags.Instance)!.PropertyType;
        return new OptionBinding(section, engines);
    }
}
