namespace Suite.Routing.Quality.Runs;

/// <summary>
/// One way of routing: a picker scheduling profile (the YAML of <c>Picker:ConfigFile</c>) and how many picker
/// replicas share the traffic (requests alternate between them).
/// </summary>
/// <param name="NeedsPrefixScorer">Whether the profile uses the <c>prefix-cache</c> scorer.</param>
internal sealed record Strategy(string Name, string Label, string ProfileYaml, int Replicas, bool NeedsPrefixScorer)
{
    public const string Ours = "ours";
    public const string OursTwoReplicas = "ours-2-replicas";

    public static IReadOnlyList<string> Names { get; } = ["round-robin", "random", "least-requests", "reference-default", Ours, OursTwoReplicas];

    /// <summary>Used when the tree has no deploy/examples/profiles/reference-default.yaml.</summary>
    public const string BuiltInReferenceYaml = """
        destinations: 1
        scorers:
          - { type: queue-depth, weight: 2 }
          - { type: kv-cache, weight: 2 }
          - { type: prefix-cache, weight: 3, blockBytes: 64, capacityBlocks: 31250, loadGuard: false }
        picker: { type: max-score }
        """;

    public static Strategy Of(string name, string oursYaml, string referenceYaml) => name switch
    {
        "round-robin" => new(name, "round-robin: no scorers, each request to the next pod (a Kubernetes Service)", """
            destinations: 1
            picker: { type: round-robin }
            """, 1, false),
        "random" => new(name, "random: a uniformly random pod", """
            destinations: 1
            picker: { type: random }
            """, 1, false),
        "least-requests" => new(name, "least-requests: the outstanding-requests scorer alone (waiting + running + sent since the last scrape), max-score (like Envoy LEAST_REQUEST)", """
            destinations: 1
            scorers:
              - { type: outstanding-requests, weight: 1 }
            picker: { type: max-score }
            """, 1, false),
        "reference-default" => new(
            name,
            "reference default, re-implemented from the reference picker's published description (not its code): deploy/examples/profiles/reference-default.yaml — queue-depth ×2, kv-cache ×2, prefix-cache ×3 (blockBytes 64, capacityBlocks 31250, loadGuard false), max-score",
            referenceYaml,
            1,
            true),
        Ours => new(name, "ours: deploy/examples/picker-profile.yaml as committed, or --ours-profile", oursYaml, 1, oursYaml.Contains("prefix-cache", StringComparison.Ordinal)),
        OursTwoReplicas => new(
            name,
            "ours with two picker replicas on the same bus, requests alternating between them",
            oursYaml,
            2,
            oursYaml.Contains("prefix-cache", StringComparison.Ordinal)),
        _ => throw new ArgumentException($"--strategies: no strategy '{name}'; choose from {string.Join(", ", Names)}."),
    };
}
