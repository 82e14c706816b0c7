using Suite.Kubernetes.Resources;
using static Suite.MetricsCollector.Tests.Discovery.TestPods;

namespace Suite.MetricsCollector.Tests.Discovery;

public sealed class InferencePoolValidationTests
{
    private const string V1Subject = "InferencePool default/chat (inference.networking.k8s.io/v1)";
    private const string LegacySubject = "InferencePool default/chat (inference.networking.x-k8s.io/v1alpha2)";

    private static string[] Problems(InferencePoolView pool) => [.. pool.Validate()];

    [Fact]
    public void Validate_ValidPool_NoMessages()
    {
        Assert.Empty(Problems(Pool("chat", "app=chat", [8000, 8001])));
        Assert.Empty(Problems(LegacyPool("chat", "app=chat", 8000)));
    }

    [Fact]
    public void Validate_EmptySelector_SaysItWouldMatchNoPod()
    {
        Assert.Equal(
            [$"{V1Subject}: spec.selector.matchLabels is empty, so the pool would match no pod"],
            Problems(Pool("chat", "", [8000])));
    }

    [Fact]
    public void Validate_LegacyEmptySelector_NamesTheLegacyField()
    {
        Assert.Equal(
            [$"{LegacySubject}: spec.selector is empty, so the pool would match no pod"],
            Problems(LegacyPool("chat", "", 8000)));
    }

    [Fact]
    public void Validate_SixtyFourLabels_Valid()
    {
        var selector = string.Join(',', Enumerable.Range(0, 64).Select(i => $"k{i}=v"));

        Assert.Empty(Problems(Pool("chat", selector, [8000])));
    }

    [Fact]
    public void Validate_SixtyFiveLabels_TooMany()
    {
        var selector = string.Join(',', Enumerable.Range(0, 65).Select(i => $"k{i}=v"));

        Assert.Equal(
            [$"{V1Subject}: spec.selector.matchLabels has 65 labels; at most 64 are allowed"],
            Problems(Pool("chat", selector, [8000])));
    }

    [Fact]
    public void Validate_NoTargetPorts_Required()
    {
        Assert.Equal([$"{V1Subject}: spec.targetPorts is required"], Problems(Pool("chat", "app=chat", [])));
    }

    [Fact]
    public void Validate_LegacyWithoutTargetPortNumber_Required()
    {
        var pool = LegacyPool("chat", "app=chat", 8000) with { TargetPorts = [] };

        Assert.Equal([$"{LegacySubject}: spec.targetPortNumber is required"], Problems(pool));
    }

    [Fact]
    public void Validate_NineTargetPorts_TooMany()
    {
        Assert.Equal(
            [$"{V1Subject}: spec.targetPorts has 9 ports; at most 8 are allowed"],
            Problems(Pool("chat", "app=chat", [.. Enumerable.Range(8000, 9)])));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_NamesTheEntry(int port)
    {
        Assert.Equal(
            [$"{V1Subject}: spec.targetPorts[1].number is {port}; a port must be between 1 and 65535"],
            Problems(Pool("chat", "app=chat", [8000, port])));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void Validate_PortAtTheBounds_Valid(int port)
    {
        Assert.Empty(Problems(Pool("chat", "app=chat", [port])));
    }

    [Fact]
    public void Validate_LegacyPortOutOfRange_NamesTheLegacyField()
    {
        Assert.Equal(
            [$"{LegacySubject}: spec.targetPortNumber is 70000; a port must be between 1 and 65535"],
            Problems(LegacyPool("chat", "app=chat", 70000)));
    }

    [Fact]
    public void Validate_RepeatedPort_MustBeUnique()
    {
        Assert.Equal(
            [$"{V1Subject}: spec.targetPorts[2].number repeats port 8000; target ports must be unique"],
            Problems(Pool("chat", "app=chat", [8000, 8001, 8000])));
    }

    [Fact]
    public void Validate_SeveralProblems_AllReported()
    {
        Assert.Equal(
            [
                $"{V1Subject}: spec.selector.matchLabels is empty, so the pool would match no pod",
                $"{V1Subject}: spec.targetPorts is required",
            ],
            Problems(Pool("chat", "", [])));
    }

    [Fact]
    public void Validate_NoName_Required()
    {
        Assert.Equal(
            ["InferencePool default/ (inference.networking.k8s.io/v1): metadata.name is required"],
            Problems(Pool("", "app=chat", [8000])));
    }
}
