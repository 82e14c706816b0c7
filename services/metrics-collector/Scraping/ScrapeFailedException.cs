namespace Suite.MetricsCollector.Scraping;

/// <summary>Why a scrape produced no sample; the label of the scrape-failure metric.</summary>
internal enum ScrapeFailure
{
    Timeout,
    Connection,
    HttpStatus,
    TooLarge,
    Malformed,
}

internal sealed class ScrapeFailedException(ScrapeFailure reason, string message) : Exception(message)
{
    public ScrapeFailure Reason { get; } = reason;
}
