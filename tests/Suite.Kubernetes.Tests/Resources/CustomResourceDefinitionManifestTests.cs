using System.Globalization;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes.Tests.Resources;

public sealed class CustomResourceDefinitionManifestTests
{
    private const string CatalogGroup = "inference.networking.x-k8s.io";
    private const string WeightsAllOrNone = "self.all(t, has(t.weight)) || self.all(t, !has(t.weight))";

    [Theory]
    [InlineData("inference.networking.x-k8s.io_inferencemodels.yaml", CatalogGroup, "v1alpha2", "InferenceModel", "inferencemodels")]
    [InlineData("inference.networking.x-k8s.io_inferenceobjectives.yaml", CatalogGroup, "v1alpha2", "InferenceObjective", "inferenceobjectives")]
    [InlineData("inference.networking.x-k8s.io_inferencemodelrewrites.yaml", CatalogGroup, "v1alpha2", "InferenceModelRewrite", "inferencemodelrewrites")]
    [InlineData("inference.networking.k8s.io_inferencepools.yaml", "inference.networking.k8s.io", "v1", "InferencePool", "inferencepools")]
    [InlineData("inference.networking.x-k8s.io_inferencepools.yaml", CatalogGroup, "v1alpha2", "InferencePool", "inferencepools")]
    public void Crd_Loaded_IdentityScopeAndStatusSubresource(string file, string group, string version, string kind, string plural)
    {
        var crd = LoadCrd(file);

        Assert.Equal(("apiextensions.k8s.io/v1", "CustomResourceDefinition"), (crd.ApiVersion, crd.Kind));
        Assert.Equal($"{plural}.{group}", crd.Metadata.Name);
        Assert.Equal(group, crd.Spec.Group);
        Assert.Equal((kind, plural, kind.ToLowerInvariant(), kind + "List"), (crd.Spec.Names.Kind, crd.Spec.Names.Plural, crd.Spec.Names.Singular, crd.Spec.Names.ListKind));
        Assert.Equal("Namespaced", crd.Spec.Scope);
        var served = Assert.Single(crd.Spec.Versions);
        Assert.Equal((version, true, true), (served.Name, served.Served, served.Storage));
        Assert.NotNull(served.Subresources?.Status);
        Assert.Contains(served.AdditionalPrinterColumns, column => column.Name == "Age" && column.JsonPath == ".metadata.creationTimestamp");
        Assert.Equal(["spec"], served.Schema.OpenAPIV3Schema.Required);
    }

    [Fact]
    public void Kustomization_ListsEveryCrdFile()
    {
        var directory = Path.Combine(RepositoryRoot(), "deploy", "crds");
        var kustomization = KubernetesYaml.Deserialize<Dictionary<string, object>>(File.ReadAllText(Path.Combine(directory, "kustomization.yaml")));

        var listed = Assert.IsType<List<object>>(kustomization["resources"]).Cast<string>().Order(StringComparer.Ordinal);

        var files = Directory.GetFiles(directory, "*.yaml").Select(Path.GetFileName).Where(name => name != "kustomization.yaml").Order(StringComparer.Ordinal);
        Assert.Equal(files, listed);
    }

    [Fact]
    public void InferenceModelCrd_Schema_CarriesTheModelRules()
    {
        var spec = Spec("inference.networking.x-k8s.io_inferencemodels.yaml");

        Assert.Equal(["modelName", "poolRef"], spec.Required);
        var modelName = spec.Properties["modelName"];
        Assert.Equal(("string", 1L, 256L), (modelName.Type, modelName.MinLength, modelName.MaxLength));
        Assert.Equal(("self == oldSelf", "modelName is immutable"), (Assert.Single(modelName.XKubernetesValidations).Rule, modelName.XKubernetesValidations[0].Message));
        Assert.Equal(["Critical", "Standard", "Sheddable"], Strings(spec.Properties["criticality"].EnumProperty));

        var targetModels = spec.Properties["targetModels"];
        Assert.Equal(("array", 10L), (targetModels.Type, targetModels.MaxItems));
        Assert.Equal("map", targetModels.XKubernetesListType);
        Assert.Equal(["name"], targetModels.XKubernetesListMapKeys);
        Assert.Equal(WeightsAllOrNone, Assert.Single(targetModels.XKubernetesValidations).Rule);
        var target = ItemsOf(targetModels);
        Assert.Equal(["name"], target.Required);
        Assert.Equal(253L, target.Properties["name"].MaxLength);
        var weight = target.Properties["weight"];
        Assert.Equal(("integer", 1.0, 1_000_000.0), (weight.Type, weight.Minimum, weight.Maximum));

        AssertPoolRef(spec.Properties["poolRef"]);
        AssertConditions(Status("inference.networking.x-k8s.io_inferencemodels.yaml").Properties["conditions"]);
    }

    [Fact]
    public void InferenceObjectiveCrd_Schema_PriorityIsAnyIntegerWithoutMinimum()
    {
        var spec = Spec("inference.networking.x-k8s.io_inferenceobjectives.yaml");

        Assert.Equal(["poolRef"], spec.Required);
        var priority = spec.Properties["priority"];
        Assert.Equal(("integer", "int32", (double?)null), (priority.Type, priority.Format, priority.Minimum));
        AssertPoolRef(spec.Properties["poolRef"]);
        AssertConditions(Status("inference.networking.x-k8s.io_inferenceobjectives.yaml").Properties["conditions"]);
    }

    [Fact]
    public void InferenceModelRewriteCrd_Schema_CarriesTheRuleShape()
    {
        var spec = Spec("inference.networking.x-k8s.io_inferencemodelrewrites.yaml");

        Assert.Equal(["poolRef", "rules"], spec.Required);
        AssertPoolRef(spec.Properties["poolRef"]);
        var rule = ItemsOf(spec.Properties["rules"]);
        Assert.Equal(["targets"], rule.Required);
        var model = ItemsOf(rule.Properties["matches"]).Properties["model"];
        Assert.Equal(["value"], model.Required);
        Assert.Equal(["Exact"], Strings(model.Properties["type"].EnumProperty));
        Assert.Equal("Exact", Text(model.Properties["type"].DefaultProperty));

        var targets = rule.Properties["targets"];
        Assert.Equal(1L, targets.MinItems);
        Assert.Equal("map", targets.XKubernetesListType);
        Assert.Equal(["modelRewrite"], targets.XKubernetesListMapKeys);
        Assert.Equal(WeightsAllOrNone, Assert.Single(targets.XKubernetesValidations).Rule);
        var target = ItemsOf(targets);
        Assert.Equal(["modelRewrite"], target.Required);
        var weight = target.Properties["weight"];
        Assert.Equal(("integer", 1.0, 1_000_000.0), (weight.Type, weight.Minimum, weight.Maximum));
        AssertConditions(Status("inference.networking.x-k8s.io_inferencemodelrewrites.yaml").Properties["conditions"]);
    }

    [Fact]
    public void InferencePoolV1Crd_Schema_CarriesThePoolRules()
    {
        var spec = Spec("inference.networking.k8s.io_inferencepools.yaml");

        Assert.Equal(["selector", "targetPorts", "endpointPickerRef"], spec.Required);
        var matchLabels = spec.Properties["selector"].Properties["matchLabels"];
        Assert.Equal(("object", 1L, 64L), (matchLabels.Type, matchLabels.MinProperties, matchLabels.MaxProperties));

        var targetPorts = spec.Properties["targetPorts"];
        Assert.Equal((1L, 8L, "map"), (targetPorts.MinItems, targetPorts.MaxItems, targetPorts.XKubernetesListType));
        Assert.Equal(["number"], targetPorts.XKubernetesListMapKeys);
        var number = ItemsOf(targetPorts).Properties["number"];
        Assert.Equal((1.0, 65535.0), (number.Minimum, number.Maximum));

        Assert.Equal(["http", "kubernetes.io/h2c"], Strings(spec.Properties["appProtocol"].EnumProperty));
        var picker = spec.Properties["endpointPickerRef"];
        Assert.Equal(["name"], picker.Required);
        Assert.Equal("Service", Text(picker.Properties["kind"].DefaultProperty));
        Assert.Equal(["FailOpen", "FailClose"], Strings(picker.Properties["failureMode"].EnumProperty));
        Assert.Equal("FailClose", Text(picker.Properties["failureMode"].DefaultProperty));
        Assert.Equal("self.kind != 'Service' || has(self.port)", Assert.Single(picker.XKubernetesValidations).Rule);

        var parents = Status("inference.networking.k8s.io_inferencepools.yaml").Properties["parents"];
        AssertConditions(ItemsOf(parents).Properties["conditions"]);
    }

    [Fact]
    public void InferencePoolV1Alpha2Crd_Schema_CarriesTheLegacyShape()
    {
        var spec = Spec("inference.networking.x-k8s.io_inferencepools.yaml");

        Assert.Equal(["selector", "targetPortNumber", "extensionRef"], spec.Required);
        var selector = spec.Properties["selector"];
        Assert.Equal(("object", 1L, 64L), (selector.Type, selector.MinProperties, selector.MaxProperties));
        var port = spec.Properties["targetPortNumber"];
        Assert.Equal(("integer", 1.0, 65535.0), (port.Type, port.Minimum, port.Maximum));
        var extension = spec.Properties["extensionRef"];
        Assert.Equal(["name"], extension.Required);
        Assert.Equal("9002", Text(extension.Properties["portNumber"].DefaultProperty));
        Assert.Equal(["FailOpen", "FailClose"], Strings(extension.Properties["failureMode"].EnumProperty));
        Assert.Equal("FailClose", Text(extension.Properties["failureMode"].DefaultProperty));
    }

    private static void AssertPoolRef(V1JSONSchemaProps poolRef)
    {
        Assert.Equal(["name"], poolRef.Required);
        Assert.Equal(CatalogGroup, Text(poolRef.Properties["group"].DefaultProperty));
        Assert.Equal("InferencePool", Text(poolRef.Properties["kind"].DefaultProperty));
    }

    private static void AssertConditions(V1JSONSchemaProps conditions)
    {
        Assert.Equal(("array", "map"), (conditions.Type, conditions.XKubernetesListType));
        Assert.Equal(["type"], conditions.XKubernetesListMapKeys);
        var condition = ItemsOf(conditions);
        Assert.Equal(["type", "status", "reason", "message", "lastTransitionTime"], condition.Required);
        Assert.Equal(["True", "False", "Unknown"], Strings(condition.Properties["status"].EnumProperty));
        Assert.Equal(("integer", "int64"), (condition.Properties["observedGeneration"].Type, condition.Properties["observedGeneration"].Format));
    }

    private static V1JSONSchemaProps Spec(string file) => Root(file).Properties["spec"];

    private static V1JSONSchemaProps Status(string file) => Root(file).Properties["status"];

    private static V1JSONSchemaProps Root(string file) => LoadCrd(file).Spec.Versions[0].Schema.OpenAPIV3Schema;

    private static V1CustomResourceDefinition LoadCrd(string file) =>
        KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "crds", file)));

    // `items` is typed object in the client model, so the YAML loader leaves it a plain map; read it again as a schema.
    private static V1JSONSchemaProps ItemsOf(V1JSONSchemaProps array) =>
        array.Items as V1JSONSchemaProps ?? KubernetesYaml.Deserialize<V1JSONSchemaProps>(KubernetesYaml.Serialize(array.Items));

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static string[] Strings(IList<object> values) => [.. values.Select(Text)];

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Suite.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Suite.sln above {AppContext.BaseDirectory}");
    }
}
