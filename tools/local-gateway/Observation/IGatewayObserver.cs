namespace Suite.LocalGateway.Observation;

/// <summary>Told about every request the gateway finished (the dashboard listens); called on the request's thread, so keep it cheap.</summary>
public interface IGatewayObserver
{
    void Completed(GatewayExchange exchange);
}
