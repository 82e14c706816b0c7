namespace Suite.Security;

/// <summary>A certificate, key or CA file that cannot be used; the message starts with the setting at fault.</summary>
public sealed class CertificateFileException(string message) : Exception(message);
