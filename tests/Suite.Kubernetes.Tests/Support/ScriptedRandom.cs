namespace Suite.Kubernetes.Tests.Support;

/// <summary>A random source that returns the given values in order, then repeats the last one.</summary>
internal sealed class ScriptedRandom(params double[] values) : Random
{
    private int _next;

    public int Calls => _next;

    public override double NextDouble() => values[Math.Min(_next++, values.Length - 1)];

    protected override double Sample() => NextDouble();
}
