using System.Text.Json;
using System.Text.Json.Serialization;
using Suite.ModelSim.Faults;

namespace Suite.ModelSim.Hosting;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(FaultSettings))]
internal sealed partial class SimulatorJson : JsonSerializerContext;
