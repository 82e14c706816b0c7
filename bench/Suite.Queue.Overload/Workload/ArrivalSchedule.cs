namespace Suite.Queue.Overload.Workload;

internal enum RequestClass
{
    Critical,
    Sheddable,
}

/// <summary>One request of the open-loop workload: when it arrives (seconds after the arm starts), its class and output length.</summary>
internal readonly record struct ScheduledArrival(int Index, double AtSeconds, RequestClass Class, int OutputTokens);

/// <summary>
/// Poisson arrivals (exponential gaps at the given rate) over a fixed duration, each request Critical with the given
/// probability, else Sheddable, with an output length from <see cref="OutputLengths"/>. One seed gives one list, so
/// every arm replays the same arrivals.
/// </summary>
internal static class ArrivalSchedule
{
    public static ScheduledArrival[] Create(double ratePerSecond, double durationSeconds, double criticalShare, OutputLengths lengths, int seed)
    {
        var random = new Random(seed);
        var arrivals = new List<ScheduledArrival>((int)(ratePerSecond * durationSeconds * 1.1) + 16);
        var at = 0.0;
        while (true)
        {
            at += -Math.Log(1 - random.NextDouble()) / ratePerSecond;
            if (at >= durationSeconds)
            {
                return [.. arrivals];
            }

            var type = random.NextDouble() < criticalShare ? RequestClass.Critical : RequestClass.Sheddable;
            arrivals.Add(new ScheduledArrival(arrivals.Count, at, type, lengths.Draw(random)));
        }
    }
}

/// <summary>
/// Output lengths, uniform over mean × (1 ± spread). A single fixed length makes requests that start together
/// finish together: the fleet then frees its whole batch at once every few seconds and sits full in between, and
/// every queue in front of it empties and fills in the same rhythm.
/// </summary>
internal sealed record OutputLengths(int Mean, double Spread)
{
    public int Min => Math.Max(1, (int)Math.Round(Mean * (1 - Spread)));

    public int Max => Math.Max(Min, (int)Math.Round(Mean * (1 + Spread)));

    public int Draw(Random random) => random.Next(Min, Max + 1);
}
