namespace Suite.Picker.FunctionalTests.Infrastructure;

/// <summary>
/// Tests that measure the process's live heap run alone: picker hosts of other test classes running at the same
/// time would allocate into the same heap. Their large streams also get the machine's cores to themselves.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapRunsAlone
{
    public const string Name = "heap measurements run alone";
}
