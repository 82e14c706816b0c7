using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Rbac;

public sealed class RbacCopyTests
{
    [Fact]
    public async Task BaseRoles_GrantWhatDeployRbacGrants()
    {
        Expect.NoProblems(RbacCopies.CompareRules(await Renderings.OfAsync(Kustomizations.Base), RbacCopies.Reference()));
    }

    [Fact]
    public async Task BaseBindings_BindWhatDeployRbacBinds()
    {
        Expect.NoProblems(RbacCopies.CompareBindings(await Renderings.OfAsync(Kustomizations.Base), RbacCopies.Reference()));
    }

    [Fact]
    public async Task CompareRules_ExtraVerbInTheBase_ReportedWithBothGrants()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("ClusterRole", "inference-suite-metrics-collector", role =>
            role["rules"]![1]!["verbs"]!.AsArray().Add("delete"));

        Assert.Equal(
            [
                "ClusterRole inference-suite-metrics-collector: rules differ: deploy/base has "
                    + """[{"apiGroups":["inference.networking.k8s.io","inference.networking.x-k8s.io"],"resources":["inferencepools"],"verbs":["get","list","watch"]},"""
                    + """{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch","delete"]}], deploy/rbac has """
                    + """[{"apiGroups":["inference.networking.k8s.io","inference.networking.x-k8s.io"],"resources":["inferencepools"],"verbs":["get","list","watch"]},"""
                    + """{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]""",
            ],
            RbacCopies.CompareRules(rendered, RbacCopies.Reference()));
    }

    [Fact]
    public async Task CompareRules_RoleOnlyInDeployRbac_Reported()
    {
        var rendered = await Renderings.OfAsync(Kustomizations.Base);
        rendered = rendered with { Items = [.. rendered.Items.Where(item => item.Title != "Role catalog-leader-election")] };

        Assert.Equal(
            ["Role catalog-leader-election is in deploy/rbac but not in deploy/base"],
            RbacCopies.CompareRules(rendered, RbacCopies.Reference()));
    }
}
