using CsCheck;

namespace Suite.Tests.Shared;

/// <summary>
/// How an at-least-once bus (Dapr over Redis streams) may deliver events that were published in order: each at least
/// once, some again, in any order, and old ones redelivered after newer ones (a retry, or a pending entry claimed
/// again after <c>redeliverInterval</c>). A plan lists the indexes of the published events in delivery order.
/// </summary>
internal static class Redelivery
{
    /// <summary>
    /// Every index of <paramref name="count"/> events at least once plus up to <paramref name="maxCopies"/> copies,
    /// shuffled, then up to <paramref name="maxLate"/> late redeliveries after all of them.
    /// </summary>
    public static Gen<int[]> Plan(int count, int maxCopies = 6, int maxLate = 3) =>
        Gen.Select(
            Gen.Int[0, count - 1].Array[0, maxCopies].SelectMany(copies => Gen.Shuffle((int[])[.. Enumerable.Range(0, count), .. copies])),
            Gen.Int[0, count - 1].Array[0, maxLate],
            (shuffled, late) => (int[])[.. shuffled, .. late]);

    /// <summary>Events and a delivery plan over them.</summary>
    public static Gen<(T[] Events, int[] Plan)> Of<T>(Gen<T[]> events, int maxCopies = 6, int maxLate = 3) =>
        events.SelectMany(published => Plan(published.Length, maxCopies, maxLate).Select(plan => (published, plan)));
}
