using System.Runtime.InteropServices;
using Suite.Collector.Load.Cost;
using Suite.Collector.Load.Fleet;
using Suite.Collector.Load.Freshness;

namespace Suite.Collector.Load;

/// <summary>Entry point; not named Program, which the collector, the picker and model-sim each define.</summary>
public static class CollectorLoadProgram
{
    private const string Usage = """
        Suite.Collector.Load — measures the metrics-collector (services/metrics-collector): what scraping costs, and how
        fresh the figures the picker gets are.

          cost        measures a running collector that scrapes a running model-sim fleet (bench/collector.sh starts both)
            --collector-pid PID    the collector process (CPU and memory from /proc; scrapes from its TCP connections, via ss)
            --sim-pid PID          the model-sim process
            --port PORT            the fleet's port (instances on 127.0.1.1..N)
            --instances N          endpoints the collector scrapes (default 100)
            --collector-url URL    the collector's HTTP port, for /readyz and its own /metrics if it has one
                                   (default http://127.0.0.1:9190)
            --phases LIST          idle, load or both in order (default idle,load)
            --warmup S             seconds before each phase's window (default 10)
            --seconds S            measured seconds per phase (default 60)
            --load-rate R          completions/s in the load phase, open loop, round-robin (default 200)
            --max-tokens N         output tokens per completion, ignore_eos (default 64)
            --model NAME           default sim/tiny
            --max-in-flight N      requests in flight beyond which the load skips (and counts) a request (default 2000)
            --interval-ms MS       the collector's scrape interval, for the report (default 50)
            --target-cores C       the cost target the table checks (default 0.5)
            --out PATH             write the JSON result there

          freshness   hosts tiny model-sim instances, the collector and a picker in this process; times queue changes
                      from a pod's engine to the picker's pool store
            --pods N               instances (default 10)
            --samples N            recorded changes (default 300)
            --warmup-samples N     changes taken first and not recorded (default 20)
            --interval-ms MS       the collector's scrape interval (default 50)
            --max-gap-ms MS        random wait before each change, 0 to this (default two intervals)
            --port PORT            the fleet's port (default 0: a free one)
            --seed N               for the gaps and the pods chosen (default 1)
            --out PATH             write the JSON result (every sample included) there

          manifests   writes the static-discovery manifests for a fleet started with --loopback-addresses
            --pods N --port PORT --out PATH [--pool NAME (default sim-pool)]
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args is [] or ["--help" or "-h"])
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        Func<CancellationToken, Task<int>> run;
        try
        {
            var flags = new Flags(args[1..]);
            var command = "Suite.Collector.Load " + string.Join(' ', args);
            switch (args[0])
            {
                case "cost":
                    var cost = CostOptions.Parse(flags);
                    run = stopping => CostRun.RunAsync(cost, command, stopping);
                    break;
                case "freshness":
                    var freshness = FreshnessOptions.Parse(flags);
                    run = stopping => FreshnessRun.RunAsync(freshness, command, stopping);
                    break;
                case "manifests":
                    var pods = flags.RequiredInteger("--pods", 1, 250);
                    var port = flags.RequiredInteger("--port", 1, 65535);
                    var path = flags.Text("--out") ?? throw new ArgumentException("--out is required.");
                    var pool = flags.Text("--pool", PoolManifests.DefaultPool);
                    flags.RejectUnread();
                    run = async stopping =>
                    {
                        await File.WriteAllTextAsync(path, PoolManifests.Yaml(pool, pods, port), stopping);
                        return 0;
                    };
                    break;
                default:
                    throw new ArgumentException($"Unknown mode '{args[0]}': give cost, freshness or manifests first.");
            }
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        // Ctrl+C and SIGTERM cancel the run, so traffic stops and the in-process fleet is disposed on the way out.
        using var stopping = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await run(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted");
            return 130;
        }
    }
}
