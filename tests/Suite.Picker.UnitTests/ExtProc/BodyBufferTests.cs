using System.Runtime.InteropServices;
using Google.Protobuf;
using Suite.Picker.ExtProc;

namespace Suite.Picker.UnitTests.ExtProc;

/// <summary>A request body's buffer reserves every byte it keeps from the budget and releases all of it once.</summary>
public sealed class BodyBufferTests
{
    [Fact]
    public void TryAppend_OneChunkKeptInPlace_ReservesItsLength()
    {
        var budget = new BodyMemoryBudget(1000);
        using var buffer = new BodyBuffer(budget);

        Assert.True(buffer.TryAppend(Chunk(700, 1)));

        Assert.Equal(700, budget.Reserved);
        Assert.Equal(700, buffer.Length);
    }

    [Fact]
    public void TryAppend_ChunksCopiedTogether_ReserveTheirSumAndKeepTheBytesInOrder()
    {
        var budget = new BodyMemoryBudget(1000);
        using var buffer = new BodyBuffer(budget);

        Assert.True(buffer.TryAppend(Chunk(3, 1)));
        Assert.True(buffer.TryAppend(Chunk(2, 2)));
        Assert.True(buffer.TryAppend(ByteString.Empty));

        Assert.Equal(5, budget.Reserved);
        Assert.Equal(new byte[] { 1, 1, 1, 2, 2 }, buffer.Memory.ToArray());
    }

    [Fact]
    public void TryAppend_ChunkPastTheBudget_IsRefusedAndNothingOfItKept()
    {
        var budget = new BodyMemoryBudget(1000);
        using var other = new BodyBuffer(budget);
        using var buffer = new BodyBuffer(budget);
        Assert.True(other.TryAppend(Chunk(600, 9)));
        Assert.True(buffer.TryAppend(Chunk(300, 1)));

        Assert.False(buffer.TryAppend(Chunk(101, 2)));

        Assert.Equal(900, budget.Reserved);
        Assert.Equal(300, buffer.Length);
        Assert.True(buffer.TryAppend(Chunk(100, 2)));
        Assert.Equal(1000, budget.Reserved);
    }

    [Fact]
    public void Clear_CalledAgainAndThenDisposed_ReleasesWhatWasReservedOnce()
    {
        var budget = new BodyMemoryBudget(1000);
        using var other = new BodyBuffer(budget);
        var buffer = new BodyBuffer(budget);
        Assert.True(other.TryAppend(Chunk(200, 9)));
        Assert.True(buffer.TryAppend(Chunk(300, 1)));
        Assert.True(buffer.TryAppend(Chunk(100, 2)));

        buffer.Clear();
        buffer.Clear();
        buffer.Dispose();

        Assert.Equal(200, budget.Reserved);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void TryAppend_AfterClear_ReservesAfresh()
    {
        var budget = new BodyMemoryBudget(1000);
        using var buffer = new BodyBuffer(budget);
        Assert.True(buffer.TryAppend(Chunk(1000, 1)));
        buffer.Clear();

        Assert.True(buffer.TryAppend(Chunk(1000, 2)));

        Assert.Equal(1000, budget.Reserved);
    }

    [Theory]
    [InlineData(1000, 1000, 1, 2048)]
    [InlineData(65_537, 1, 1, 131_072)]          // doubling the first chunk would have rented 262,144
    [InlineData(65_537, 65_537, 2, 262_144)]
    [InlineData(100_000, 100_000, 6, 1_048_576)]
    public void TryAppend_SeveralChunks_CopiesIntoTheNextPowerOfTwoUnderTwiceTheBody(int first, int chunkBytes, int more, int arrayBytes)
    {
        using var buffer = new BodyBuffer(budget: null);
        Assert.True(buffer.TryAppend(Chunk(first, 1)));
        for (var i = 0; i < more; i++)
        {
            Assert.True(buffer.TryAppend(Chunk(chunkBytes, 2)));
        }

        Assert.True(MemoryMarshal.TryGetArray(buffer.Memory, out var copied));
        Assert.Equal(first + (chunkBytes * more), buffer.Length);
        Assert.Equal(arrayBytes, copied.Array!.Length);
        Assert.True(arrayBytes < 2 * buffer.Length);
    }

    private static ByteString Chunk(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }
}
