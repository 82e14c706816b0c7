using Suite.Security;

namespace Suite.Picker.Security;

/// <summary>
/// TLS on the ext_proc port (<c>Picker:Tls</c>), as gateways configure it for an endpoint picker outside the mesh.
/// Without a certificate the port speaks h2c. The health port stays plaintext: kubelet gRPC probes do not do TLS.
/// </summary>
public sealed class ExtProcTlsOptions : ServerTlsOptions
{
    internal const string Section = "Picker:Tls";

    internal static void Check(ExtProcTlsOptions tls, List<string> failures) => tls.Check(Section, failures);
}
