namespace Suite.Picker.Configuration;

/// <summary>A configuration file that cannot be used, with the key and line at fault.</summary>
public sealed class ConfigurationFileException(string message) : Exception(message);
