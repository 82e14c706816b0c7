using Suite.Picker.ExtProc;

namespace Suite.Picker.UnitTests.ExtProc;

/// <summary>The process-wide reservation of request-body bytes: arithmetic, the limit to the byte, and contention.</summary>
public sealed class BodyMemoryBudgetTests
{
    [Fact]
    public void TryReserve_WithinTheLimit_AddsUpAndReleaseSubtractsExactly()
    {
        var budget = new BodyMemoryBudget(1000);

        Assert.True(budget.TryReserve(300));
        Assert.True(budget.TryReserve(450));
        Assert.Equal(750, budget.Reserved);

        budget.Release(300);
        Assert.Equal(450, budget.Reserved);
        budget.Release(450);
        Assert.Equal(0, budget.Reserved);
    }

    [Fact]
    public void TryReserve_UpToTheLimitExactly_SucceedsAndOneByteMoreIsRefusedWithoutChange()
    {
        var budget = new BodyMemoryBudget(1000);

        Assert.True(budget.TryReserve(999));
        Assert.True(budget.TryReserve(1));
        Assert.False(budget.TryReserve(1));
        Assert.Equal(1000, budget.Reserved);
    }

    [Fact]
    public void TryReserve_MoreThanTheRoomLeft_IsRefusedWholeAndASmallerOneStillFits()
    {
        var budget = new BodyMemoryBudget(1000);
        Assert.True(budget.TryReserve(600));

        Assert.False(budget.TryReserve(401));
        Assert.Equal(600, budget.Reserved);
        Assert.True(budget.TryReserve(400));
        Assert.Equal(1000, budget.Reserved);
    }

    [Fact]
    public void TryReserve_NearLongMaxValue_DoesNotOverflowIntoAGrant()
    {
        var budget = new BodyMemoryBudget(long.MaxValue);
        Assert.True(budget.TryReserve(long.MaxValue - 10));

        Assert.False(budget.TryReserve(11));
        Assert.True(budget.TryReserve(10));
        Assert.Equal(long.MaxValue, budget.Reserved);
    }

    [Fact]
    public void TryReserve_ManyThreadsAtOnce_NeverGrantMoreThanTheLimitAndAllReturnToZero()
    {
        const long Limit = 10_000;
        var budget = new BodyMemoryBudget(Limit);
        // What the granted reservations add up to, kept apart from the budget's own count.
        long granted = 0;
        long peak = 0;
        long refusals = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            // Each worker holds up to five bodies at once, as a stream holds its body over several chunks.
            var random = new Random(worker);
            var held = new Queue<int>();
            for (var i = 0; i < 20_000; i++)
            {
                if (held.Count == 5 || (held.Count > 0 && random.Next(3) == 0))
                {
                    var release = held.Dequeue();
                    Interlocked.Add(ref granted, -release);
                    budget.Release(release);
                    continue;
                }

                var bytes = random.Next(1, 3_000);
                if (!budget.TryReserve(bytes))
                {
                    Interlocked.Increment(ref refusals);
                    continue;
                }

                held.Enqueue(bytes);
                InterlockedMax(ref peak, Interlocked.Add(ref granted, bytes));
            }

            while (held.TryDequeue(out var rest))
            {
                Interlocked.Add(ref granted, -rest);
                budget.Release(rest);
            }
        });

        Assert.InRange(peak, 1, Limit);
        Assert.True(refusals > 0, "the limit was never reached, so nothing was tested");
        Assert.Equal(0, budget.Reserved);
        Assert.Equal(0, granted);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
