using System.Globalization;

namespace Suite.Picker.LoadTest;

/// <summary>Another process's resident memory, from the <c>VmRSS</c> line of /proc/&lt;pid&gt;/status.</summary>
internal static class ProcessMemory
{
    public static long? ReadResidentBytes(int? pid)
    {
        if (pid is null || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                // "VmRSS:	  123456 kB"
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var value = line.AsSpan("VmRSS:".Length).Trim();
                    var kilobytes = value[..value.IndexOf(' ')];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
