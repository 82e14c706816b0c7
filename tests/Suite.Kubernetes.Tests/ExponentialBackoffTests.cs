using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Next_DoublesTheCeilingUpToTheCap_AndScalesItByTheRandomDraw()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new ScriptedRandom(0.5));

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToArray();

        Assert.Equal([0.5, 1, 2, 4, 8, 15, 15, 15], delays);
    }

    [Fact]
    public void Next_WithFullJitter_SpansZeroToTheCeiling()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new ScriptedRandom(0, 0.999, 0.25));

        Assert.Equal(TimeSpan.Zero, backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(1.998), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }

    [Fact]
    public void Reset_StartsAgainFromTheBase()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new ScriptedRandom(1));
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }
}
