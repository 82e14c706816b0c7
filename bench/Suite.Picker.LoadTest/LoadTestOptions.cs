using System.Globalization;

namespace Suite.Picker.LoadTest;

/// <summary>Command-line settings; every flag has a default that matches the architecture's performance targets.</summary>
internal sealed class LoadTestOptions
{
    public const string Usage = """
        Suite.Picker.LoadTest — drives a running picker over ext_proc gRPC as Envoy does (FULL_DUPLEX_STREAMED).

          Fixed rate:  --rate 2000 --duration 30 [--prompt-bytes 1000] [--out result.json]
          Soak:        --rate 2000 --duration 600 --report-every 30 --picker-pid PID [--picker-metrics URL]
          Find max:    --find-max [--start-rate 2000] [--step 2000] [--max-rate 40000] [--step-duration 10]
          Pool file:   --write-pool 100 bench/pools/pool-100.yaml
          h2load data: --write-h2load-data bench/pools/exchange-1kb.bin [--prompt-bytes 1000]

          --target URL           picker ext_proc address, h2c (default http://127.0.0.1:9002)
          --connections N        shared HTTP/2 connections (default 4)
          --warmup S             seconds at the (first) rate before measuring, discarded (default 5)
          --prompt-bytes B       message text per request (default 1000; 220000 for the long-context case)
          --body-chunk-bytes B   send the body in chunks of B bytes as Envoy does for large bodies (default 0: one message)
          --timeout S            per-exchange deadline (default 10)
          --max-in-flight N      exchanges open at once before new ones count as errors (default 20000)
          --picker-pid PID       also report the picker's CPU use and, per interval, its resident memory (from /proc)
          --report-every S       fixed rate: one line per S seconds of the measured run, then a drift summary (default 0: off)
          --picker-metrics URL   per interval, scrape these series from the picker's Prometheus page, e.g.
                                 http://127.0.0.1:9090/metrics
          --picker-series LIST   LABEL=NAME,... the series to scrape, each summed over its labels (default
                                 heap=dotnet_gc_last_collection_heap_size_bytes,gc-committed=dotnet_gc_last_collection_memory_committed_size_bytes)
          --p99-limit-ms MS      find-max: p99 decision latency a sustained step may have (default 10)
          --out PATH             write the JSON result there
        """;

    public Uri Target { get; private set; } = new("http://127.0.0.1:9002");

    public double Rate { get; private set; } = 2000;

    public double DurationSeconds { get; private set; } = 30;

    public double WarmupSeconds { get; private set; } = 5;

    public int PromptBytes { get; private set; } = 1000;

    public int BodyChunkBytes { get; private set; }

    public int Connections { get; private set; } = 4;

    public double TimeoutSeconds { get; private set; } = 10;

    public int MaxInFlight { get; private set; } = 20_000;

    public int? PickerPid { get; private set; }

    public string? Out { get; private set; }

    public double ReportEverySeconds { get; private set; }

    public Uri? PickerMetrics { get; private set; }

    /// <summary>Short label → Prometheus series name; names ending in <c>_bytes</c> count as memory.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PickerSeries { get; private set; } =
    [
        new("heap", "dotnet_gc_last_collection_heap_size_bytes"),
        new("gc-committed", "dotnet_gc_last_collection_memory_committed_size_bytes"),
    ];

    public bool FindMax { get; private set; }

    public double StartRate { get; private set; } = 2000;

    public double Step { get; private set; } = 2000;

    public double MaxRate { get; private set; } = 40_000;

    public double StepDurationSeconds { get; private set; } = 10;

    public double P99LimitMs { get; private set; } = 10;

    public (int Endpoints, string Path)? WritePool { get; private set; }

    public string? WriteH2LoadData { get; private set; }

    public static LoadTestOptions Parse(string[] args)
    {
        var options = new LoadTestOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            double Number(double min) =>
                double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min
                    ? value
                    : throw new ArgumentException($"{flag} needs a number ≥ {min}, not '{args[i]}'.");
            int Integer(int min) => checked((int)Number(min));

            switch (flag)
            {
                case "--target": options.Target = new Uri(Next()); break;
                case "--rate": options.Rate = Number(1); break;
                case "--duration": options.DurationSeconds = Number(1); break;
                case "--warmup": options.WarmupSeconds = Number(0); break;
                case "--prompt-bytes": options.PromptBytes = Integer(200); break;
                case "--body-chunk-bytes": options.BodyChunkBytes = Integer(0); break;
                case "--connections": options.Connections = Integer(1); break;
                case "--timeout": options.TimeoutSeconds = Number(0.1); break;
                case "--max-in-flight": options.MaxInFlight = Integer(1); break;
                case "--picker-pid": options.PickerPid = Integer(1); break;
                case "--out": options.Out = Next(); break;
                case "--report-every": options.ReportEverySeconds = Number(1); break;
                case "--picker-metrics": options.PickerMetrics = new Uri(Next()); break;
                case "--picker-series": options.PickerSeries = SeriesList(Next()); break;
                case "--find-max": options.FindMax = true; break;
                case "--start-rate": options.StartRate = Number(1); break;
                case "--step": options.Step = Number(1); break;
                case "--max-rate": options.MaxRate = Number(1); break;
                case "--step-duration": options.StepDurationSeconds = Number(1); break;
                case "--p99-limit-ms": options.P99LimitMs = Number(0.001); break;
                case "--write-pool":
                    var endpoints = Integer(1);
                    options.WritePool = (endpoints, Next());
                    break;
                case "--write-h2load-data": options.WriteH2LoadData = Next(); break;
                default: throw new ArgumentException($"Unknown flag '{flag}'.");
            }
        }

        if (options.FindMax && options.ReportEverySeconds > 0)
        {
            throw new ArgumentException("--report-every applies to a fixed-rate run, not to --find-max.");
        }

        return options;
    }

    private static KeyValuePair<string, string>[] SeriesList(string value)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length == 0)
        {
            throw new ArgumentException("--picker-series needs at least one series name.");
        }

        var series = new KeyValuePair<string, string>[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var equals = items[i].IndexOf('=', StringComparison.Ordinal);
            series[i] = equals < 0 ? new(items[i], items[i]) : new(items[i][..equals], items[i][(equals + 1)..]);
            if (series[i].Key.Length == 0 || series[i].Value.Length == 0)
            {
                throw new ArgumentException($"--picker-series needs LABEL=NAME or NAME, not '{items[i]}'.");
            }

            for (var j = 0; j < i; j++)
            {
                if (series[j].Key == series[i].Key)
                {
                    throw new ArgumentException($"--picker-series names the label '{series[i].Key}' twice.");
                }
            }
        }

        return series;
    }
}
