namespace Suite.LocalGateway.Observation;

/// <summary>What the gateway learns about one request while handling it, turned into a <see cref="GatewayExchange"/> at the end.</summary>
internal sealed class ExchangeRecord(string pool, string? model, string? objective)
{
    private string? _endpoint;
    private string? _decision;
    private string _outcome = ExchangeOutcomes.Proxied;
    private string? _detail;

    public void Served(string endpoint, string? decision)
    {
        _endpoint = endpoint;
        _decision = decision;
    }

    public void AnsweredByPicker(string? details)
    {
        _outcome = ExchangeOutcomes.PickerAnswered;
        _detail = string.IsNullOrEmpty(details) ? null : details;
    }

    public void FailedOpen() => _outcome = ExchangeOutcomes.FailedOpen;

    public void Failed(string problem, string? endpoint = null)
    {
        if (_outcome != ExchangeOutcomes.FailedOpen)
        {
            _outcome = ExchangeOutcomes.GatewayError;
        }

        _endpoint = endpoint;
        _detail = problem;
    }

    public GatewayExchange ToExchange(int status, TimeSpan duration) =>
        new(DateTimeOffset.UtcNow, pool, model, objective, status, _endpoint, _decision, _outcome, _detail, duration);
}
