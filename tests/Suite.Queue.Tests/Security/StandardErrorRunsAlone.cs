namespace Suite.Queue.Tests.Security;

/// <summary>Tests that swap <see cref="Console.Error"/> for a moment, which no other test may share.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StandardErrorRunsAlone
{
    public const string Name = "standard error swapped alone";
}
