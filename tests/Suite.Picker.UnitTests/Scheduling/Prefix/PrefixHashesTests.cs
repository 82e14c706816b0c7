using System.IO.Hashing;
using System.Text;
using Suite.Picker.Scheduling.Prefix;

namespace Suite.Picker.UnitTests.Scheduling.Prefix;

public sealed class PrefixHashesTests
{
    private static readonly byte[] SharedPrefix = Encoding.UTF8.GetBytes(new string('s', 128));

    private static ulong[] Hashes(string model, byte[] text, int blockBytes = 64, int maxBlocks = 256)
    {
        var hashes = new ulong[maxBlocks];
        var count = PrefixHashes.Compute(model, text, blockBytes, hashes);
        return hashes[..count];
    }

    private static byte[] Text(params string[] parts) => Encoding.UTF8.GetBytes(string.Concat(parts));

    [Fact]
    public void Compute_FirstBlock_IsSeededWithTheModelNameHash()
    {
        var text = Text(new string('x', 64));

        var hashes = Hashes("llama", text);

        var seed = XxHash3.HashToUInt64("llama"u8);
        Assert.Equal([XxHash3.HashToUInt64(text, unchecked((long)seed))], hashes);
    }

    [Fact]
    public void Compute_EachBlock_IsSeededWithThePreviousHash()
    {
        var text = Text(new string('x', 64), new string('y', 64));

        var hashes = Hashes("llama", text);

        Assert.Equal(XxHash3.HashToUInt64(text.AsSpan(64, 64), unchecked((long)hashes[0])), hashes[1]);
    }

    [Fact]
    public void Compute_SamePrefixDifferentTail_SharesTheLeadingHashesOnly()
    {
        var first = Hashes("llama", [.. SharedPrefix, .. Text(new string('a', 64))]);
        var second = Hashes("llama", [.. SharedPrefix, .. Text(new string('b', 64))]);

        Assert.Equal(3, first.Length);
        Assert.Equal(first[..2], second[..2]);
        Assert.NotEqual(first[2], second[2]);
    }

    [Fact]
    public void Compute_SameBlockAfterADifferentPrefix_HashesDifferently()
    {
        var first = Hashes("llama", Text(new string('a', 64), new string('z', 64)));
        var second = Hashes("llama", Text(new string('b', 64), new string('z', 64)));

        Assert.NotEqual(first[1], second[1]);
    }

    [Fact]
    public void Compute_SameTextForAnotherModel_SharesNothing()
    {
        var text = Text(new string('q', 64 * 8));

        var base64 = Hashes("llama", text);
        var adapter = Hashes("llama-sql-lora", text);

        Assert.Empty(base64.Intersect(adapter));
    }

    [Fact]
    public void Compute_TrailingPartialBlock_IsNotHashed()
    {
        Assert.Single(Hashes("llama", Text(new string('x', 127))));
        Assert.Empty(Hashes("llama", Text(new string('x', 63))));
    }

    [Fact]
    public void Compute_LongerThanTheRoomGiven_StopsAtMaxBlocks()
    {
        var hashes = Hashes("llama", Text(new string('x', 64 * 10)), maxBlocks: 4);

        Assert.Equal(4, hashes.Length);
    }

    [Fact]
    public void Compute_BlockBytes_SetsTheBlockLength()
    {
        Assert.Equal(8, Hashes("llama", Text(new string('x', 128)), blockBytes: 16).Length);
    }
}
