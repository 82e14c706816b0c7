namespace Suite.Picker.Security;

/// <summary>The ext_proc port's certificate: the shared reloading certificate, with errors named under <c>Picker:Tls</c>.</summary>
public sealed class ServerCertificate(ExtProcTlsOptions options, TimeProvider time)
    : Suite.Security.ReloadingServerCertificate(options, ExtProcTlsOptions.Section, time);
