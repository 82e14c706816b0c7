using Microsoft.AspNetCore.Http;

namespace Suite.LocalGateway.Forwarding;

internal sealed class ExtProcForwarder
{
    public Task ForwardAsync(HttpContext context) => throw new NotImplementedException();
}
