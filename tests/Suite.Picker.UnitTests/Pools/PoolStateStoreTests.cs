using Suite.Contracts.Pools;
using Suite.Picker.Pools;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Pools;

public sealed class PoolStateStoreTests
{
    private static PoolSnapshot Version(long version) => Snapshot(Endpoint(A)) with { Version = version };

    [Fact]
    public void Current_NothingPublished_IsNull()
    {
        var store = new PoolStateStore();

        Assert.Null(store.Current);
    }

    [Fact]
    public void Publish_FirstSnapshot_BecomesCurrent()
    {
        var store = new PoolStateStore();
        var snapshot = Version(3);

        var accepted = store.Publish(snapshot);

        Assert.True(accepted);
        Assert.Same(snapshot, store.Current);
    }

    [Fact]
    public void Publish_NewerVersion_ReplacesCurrent()
    {
        var store = new PoolStateStore();
        store.Publish(Version(3));
        var newer = Version(4);

        var accepted = store.Publish(newer);

        Assert.True(accepted);
        Assert.Same(newer, store.Current);
    }

    [Fact]
    public void Publish_OlderVersion_IsIgnored()
    {
        var store = new PoolStateStore();
        var held = Version(5);
        store.Publish(held);

        var accepted = store.Publish(Version(4));

        Assert.False(accepted);
        Assert.Same(held, store.Current);
    }

    [Fact]
    public void Publish_EqualVersion_IsIgnored()
    {
        var store = new PoolStateStore();
        var held = Version(5);
        store.Publish(held);

        var accepted = store.Publish(Version(5));

        Assert.False(accepted);
        Assert.Same(held, store.Current);
    }
}
