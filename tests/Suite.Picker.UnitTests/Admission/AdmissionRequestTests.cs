using Suite.Contracts.Catalog;
using static Suite.Picker.UnitTests.Admission.AdmissionFixture;

namespace Suite.Picker.UnitTests.Admission;

public sealed class AdmissionRequestTests
{
    [Theory]
    [InlineData(Criticality.Critical, null, false)]
    [InlineData(Criticality.Standard, null, false)]
    [InlineData(Criticality.Sheddable, null, true)]
    [InlineData(Criticality.Standard, -1, true)]
    [InlineData(Criticality.Sheddable, 0, false)]
    [InlineData(Criticality.Critical, -3, false)]
    public void IsSheddable_ByCriticalityAndKnownObjective(Criticality criticality, int? objectivePriority, bool expected)
    {
        Assert.Equal(expected, Request(criticality, objectivePriority).IsSheddable);
    }

    [Fact]
    public void ToAdmitRequest_NoModel_SendsAnEmptyTargetModel()
    {
        var request = Request() with { Classification = Request().Classification with { TargetModel = null } };

        Assert.Equal("", request.ToAdmitRequest("chat-pool", Build.Start).TargetModel);
    }

    [Theory]
    [InlineData(Criticality.Critical, Contracts.Queue.Criticality.Critical)]
    [InlineData(Criticality.Standard, Contracts.Queue.Criticality.Standard)]
    [InlineData(Criticality.Sheddable, Contracts.Queue.Criticality.Sheddable)]
    public void ToAdmitRequest_MapsCriticality(Criticality criticality, Contracts.Queue.Criticality expected)
    {
        Assert.Equal(expected, Request(criticality).ToAdmitRequest("chat-pool", Build.Start).Criticality);
    }
}
