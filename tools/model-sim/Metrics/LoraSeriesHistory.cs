namespace Suite.ModelSim.Metrics;

/// <summary>
/// vLLM keeps every label combination of <c>vllm:lora_requests_info</c> it ever set, each with the timestamp
/// of when it was last current; readers take the series with the largest value. This keeps the most recent
/// combinations the same way, so a scraper sees the several series a real server shows.
/// </summary>
internal sealed class LoraSeriesHistory
{
    private const int Kept = 8;
    private readonly Lock _gate = new();
    private readonly List<(string Running, string Waiting, double Timestamp)> _series = [];

    /// <summary>Marks the current combination as seen at <paramref name="timestamp"/>; returns the series to print.</summary>
    public (string Running, string Waiting, double Timestamp)[] Observe(string running, string waiting, double timestamp)
    {
        lock (_gate)
        {
            var index = _series.FindIndex(s => s.Running == running && s.Waiting == waiting);
            if (index >= 0)
            {
                _series.RemoveAt(index);
            }

            _series.Add((running, waiting, timestamp));
            if (_series.Count > Kept)
            {
                _series.RemoveAt(0);
            }

            return [.. _series];
        }
    }
}
