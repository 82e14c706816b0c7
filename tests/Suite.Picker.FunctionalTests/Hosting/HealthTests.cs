using Grpc.Health.V1;
using Suite.Picker.FunctionalTests.Infrastructure;

namespace Suite.Picker.FunctionalTests.Hosting;

/// <summary>gRPC health (grpc.health.v1) with the service names Kubernetes probes and gateways ask for.</summary>
public sealed class HealthTests : IDisposable
{
    private readonly PickerFactory _picker = new();

    [Theory]
    [InlineData("readiness")]
    [InlineData("envoy.service.ext_proc.v3.ExternalProcessor")]
    [InlineData("")]
    public async Task Check_BeforeAnyPoolSnapshot_IsNotServing(string service)
    {
        var status = await CheckAsync(service);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, status);
    }

    [Theory]
    [InlineData("readiness")]
    [InlineData("envoy.service.ext_proc.v3.ExternalProcessor")]
    [InlineData("")]
    public async Task Check_OncePoolSnapshotArrives_IsServing(string service)
    {
        _picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"));

        var status = await CheckAsync(service);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task Check_Liveness_IsServingWithoutAPoolSnapshot()
    {
        var status = await CheckAsync("liveness");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task Check_PoolFileGiven_IsReadyFromStartUp()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pool-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "pool: p\nendpoints:\n  - address: 10.1.1.1:8000\n");
        try
        {
            using var picker = new PickerFactory().With("Picker:PoolFile", file);

            var response = await new Grpc.Health.V1.Health.HealthClient(picker.Channel).CheckAsync(new HealthCheckRequest { Service = "readiness" });

            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public void Dispose() => _picker.Dispose();

    private async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(string service)
    {
        var response = await new Grpc.Health.V1.Health.HealthClient(_picker.Channel).CheckAsync(new HealthCheckRequest { Service = service });
        return response.Status;
    }
}
