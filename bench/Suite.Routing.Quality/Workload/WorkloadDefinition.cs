using System.Globalization;

namespace Suite.Routing.Quality.Workload;

internal enum WorkloadKind
{
    Chat,
    ChatSaturation,
    SharedPrefix,
    MultiLora,
    MixedPriority,
}

/// <summary>
/// One workload: the requests it sends (seeded, so every strategy replays the same list), what it mirrors, and the
/// per-run engine settings it needs on top of the preset (the preset itself is never changed).
/// </summary>
/// <param name="Shape">What the requests look like, as the report prints it.</param>
/// <param name="Mirrors">The public benchmark the shape follows.</param>
/// <param name="Engine">Per-run overrides of the engine profile (the sim's settings), as the report prints them.</param>
internal sealed record WorkloadDefinition(
    WorkloadKind Kind,
    string Name,
    string Shape,
    string Mirrors,
    string Engine,
    FleetShape Fleet)
{
    /// <summary>ShareGPT (vLLM paper, Kwon et al. 2023, Table 1): mean 161 prompt tokens, mean 338 output tokens.</summary>
    public const double ShareGptMeanPrompt = 161;

    public const double ShareGptMeanOutput = 338;

    /// <summary>Log-normal spreads of the fits: heavy right tails, as ShareGPT's length histograms have.</summary>
    public const double PromptSigma = 1.1;

    public const double OutputSigma = 1.0;

    public const int MaxPrompt = 4096;

    public const int MaxOutput = 1024;

    public const int LoraAdapters = 15;

    public const int SharedPrefixTokens = 6000;

    public const int SharedPrefixBlocksPerPod = 4000;

    public const int SharedPrefixOutputTokens = 64;

    /// <summary>A batch of eight sequences per pod: the fleet saturates at an output rate (~10k tokens/s) two cores can stream and parse.</summary>
    public const int ChatMaxNumSeqs = 8;

    public const int LoraMaxLoras = 3;

    /// <summary>The sustained chat step runs at this share of the capacity the chat ramp measured.</summary>
    public const double SaturationShare = 0.95;

    public const string CriticalObjective = "critical";

    public const string SheddableObjective = "sheddable";

    public static int SharedPrefixGroups(int instances) =>
        (int)Math.Round(0.8 * instances * SharedPrefixBlocksPerPod * 16 / SharedPrefixTokens);

    public static WorkloadDefinition Of(WorkloadKind kind, int instances) => kind switch
    {
        WorkloadKind.Chat => new(
            kind,
            "chat",
            string.Create(CultureInfo.InvariantCulture, $"single-turn chat, unique prompts; prompt tokens log-normal (mean {ShareGptMeanPrompt}, σ {PromptSigma}, clipped 4–{MaxPrompt}), output tokens log-normal (mean {ShareGptMeanOutput}, σ {OutputSigma}, clipped 1–{MaxOutput}), exact (ignore_eos)"),
            "ShareGPT-like chat (vLLM benchmark_serving --dataset-name sharegpt; length statistics from the vLLM paper, synthesised, nothing downloaded)",
            $"max_num_seqs {ChatMaxNumSeqs}",
            new FleetShape(MaxNumSeqs: ChatMaxNumSeqs)),
        WorkloadKind.ChatSaturation => new(
            kind,
            "chat-saturation",
            $"`chat`'s requests, one sustained step at {SaturationShare:P0} of the fleet's capacity: the highest output rate any strategy delivered during this run's `chat` ramp, over the mean output tokens of the plan. Long enough for each pod's queue to reach the level its load sets, which the ramp's short steps do not",
            "vLLM benchmark_serving at a fixed --request-rate near the fleet's limit (ShareGPT lengths)",
            $"max_num_seqs {ChatMaxNumSeqs}",
            new FleetShape(MaxNumSeqs: ChatMaxNumSeqs)),
        WorkloadKind.SharedPrefix => new(
            kind,
            "shared-prefix",
            string.Create(CultureInfo.InvariantCulture, $"{SharedPrefixGroups(instances)} groups, uniformly popular, each a {SharedPrefixTokens}-token system prompt shared by the group + a unique 64–192-token user message; {SharedPrefixOutputTokens} output tokens. The groups' prefixes total 80% of the fleet's combined KV cache ({instances} × {SharedPrefixBlocksPerPod * 16} tokens): they fit when each group stays on one pod, not when every pod sees every group"),
            "llm-d \"precise prefix cache aware\" benchmark (N groups × long shared system prompt + short unique question)",
            string.Create(CultureInfo.InvariantCulture, $"num_gpu_blocks {SharedPrefixBlocksPerPod} ({SharedPrefixBlocksPerPod * 16} tokens a pod, ~15% of the preset's, so a few thousand requests cover the caches many times over) and max_model_len 64000 to fit it"),
            new FleetShape(NumGpuBlocks: SharedPrefixBlocksPerPod)),
        WorkloadKind.MultiLora => new(
            kind,
            "multi-lora",
            $"{LoraAdapters} adapters in three tiers of five: 60% / 30% / 10% of requests (12% / 6% / 2% each); chat lengths as in `chat`",
            "the reference picker's LoRA regression shape (15 adapters, 60/30/10 popularity, max_loras 3)",
            $"max_loras {LoraMaxLoras}, max_num_seqs {ChatMaxNumSeqs}; adapters registered at start (--lora-modules)",
            new FleetShape(MaxNumSeqs: ChatMaxNumSeqs, MaxLoras: LoraMaxLoras, LoraAdapters: LoraAdapters)),
        _ => new(
            kind,
            "mixed-priority",
            $"chat lengths as in `chat`; half the requests `x-gateway-inference-objective: {CriticalObjective}` (priority 10), half `{SheddableObjective}` (priority -1, sheddable); one step at twice the fleet's capacity as measured by `chat` in this run",
            "the reference's flow-control/shedding scenario (Critical + Sheddable at 2× capacity)",
            $"max_num_seqs {ChatMaxNumSeqs}",
            new FleetShape(MaxNumSeqs: ChatMaxNumSeqs)),
    };

    public static string AdapterName(int index) => string.Create(CultureInfo.InvariantCulture, $"lora-{index:D2}");

    /// <summary>The requests of a ramp: Poisson arrivals per step, each request drawn from this workload's shape.</summary>
    public PlannedRequest[] Plan(IReadOnlyList<RampStep> steps, string baseModel, int instances, int seed)
    {
        var random = new Random(seed);
        var text = new PromptText(Math.Max(MaxPrompt, SharedPrefixTokens) + 256, seed + 1);
        var groups = Kind == WorkloadKind.SharedPrefix ? Groups(instances, seed) : [];
        var requests = new List<PlannedRequest>();
        var start = 0.0;
        for (var step = 0; step < steps.Count; step++)
        {
            var (rate, seconds) = steps[step];
            var at = start;
            while (true)
            {
                at += -Math.Log(1 - random.NextDouble()) / rate;
                if (at >= start + seconds)
                {
                    break;
                }

                requests.Add(Request(requests.Count, at, step));
            }

            start += seconds;
        }

        return [.. requests];

        PlannedRequest Request(int index, double at, int step)
        {
            var tag = PromptText.Tag(Name, index);
            switch (Kind)
            {
                case WorkloadKind.SharedPrefix:
                {
                    var group = random.Next(groups.Length);
                    var suffix = random.Next(64, 193);
                    var user = tag + text.Take(suffix, random);
                    var body = PromptText.ChatBody(baseModel, groups[group], user, SharedPrefixOutputTokens);
                    return new PlannedRequest(index, at, step, baseModel, null, body, SharedPrefixTokens + suffix, SharedPrefixOutputTokens);
                }

                default:
                {
                    var prompt = LogNormal(random, ShareGptMeanPrompt, PromptSigma, 4, MaxPrompt);
                    var output = LogNormal(random, ShareGptMeanOutput, OutputSigma, 1, MaxOutput);
                    var model = Kind == WorkloadKind.MultiLora ? AdapterName(PickAdapter(random)) : baseModel;
                    var objective = Kind == WorkloadKind.MixedPriority ? (random.NextDouble() < 0.5 ? CriticalObjective : SheddableObjective) : null;
                    var user = tag + text.Take(Math.Max(1, prompt - (tag.Length / PromptText.CharsPerToken)), random);
                    return new PlannedRequest(index, at, step, model, objective, PromptText.ChatBody(model, null, user, output), prompt, output);
                }
            }
        }
    }

    /// <summary>Log-normal with the given mean and σ of the log, rounded and clipped.</summary>
    private static int LogNormal(Random random, double mean, double sigma, int min, int max)
    {
        var mu = Math.Log(mean) - (sigma * sigma / 2);
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Clamp((int)Math.Round(Math.Exp(mu + (sigma * normal))), min, max);
    }

    /// <summary>Three tiers of five adapters: 60%, 30%, 10% of the traffic, uniform within a tier.</summary>
    private static int PickAdapter(Random random)
    {
        var tier = random.NextDouble() switch
        {
            < 0.6 => 0,
            < 0.9 => 1,
            _ => 2,
        };
        return (tier * 5) + random.Next(5);
    }

    private static string[] Groups(int instances, int seed)
    {
        var groups = new string[SharedPrefixGroups(instances)];
        for (var g = 0; g < groups.Length; g++)
        {
            var text = new PromptText(SharedPrefixTokens, seed + 1000 + g);
            groups[g] = PromptText.Tag("system-prompt", g) + text.Take(SharedPrefixTokens - 8, new Random(g));
        }

        return groups;
    }
}

/// <summary>Per-run engine overrides and adapters; zero leaves the preset's value.</summary>
internal sealed record FleetShape(int MaxNumSeqs = 0, int NumGpuBlocks = 0, int MaxLoras = 0, int LoraAdapters = 0);
