using System.Runtime.InteropServices;
using Suite.ModelSim.Hosting;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SimulatorConfiguration.Usage);
    return 0;
}

SimulatorSettings settings;
try
{
    settings = SimulatorConfiguration.Load(args);
}
catch (SimulatorConfigurationException e)
{
    Console.Error.WriteLine($"model-sim: {e.Message}");
    return 2;
}

var stopping = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.TrySetResult();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => stopping.TrySetResult());

await using var fleet = await ModelSimFleet.StartAsync(settings);
foreach (var instance in fleet.Instances)
{
    Console.WriteLine($"{instance.Name} {instance.Address} {instance.Profile.ModelName} ({settings.Fleet.Preset}, {settings.Fleet.MetricsFormat} metrics)");
}

await stopping.Task;
return 0;
