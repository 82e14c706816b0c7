namespace Suite.Picker.Configuration;

/// <summary>
/// Notices when a file's content changes by reading it on an interval. Polling the content rather than
/// trusting file-system events also catches Kubernetes ConfigMap updates, which swap a symlink.
/// </summary>
public sealed class PolledFile : IDisposable
{
    private readonly ITimer _timer;
    private readonly Action<string> _onChanged;
    private readonly Lock _lock = new();
    private byte[] _lastContent;

    /// <param name="initialContent">The content already loaded, so only later changes are reported.</param>
    public PolledFile(string path, string initialContent, TimeSpan interval, TimeProvider time, Action<string> onChanged)
    {
        Path = path;
        _lastContent = System.Text.Encoding.UTF8.GetBytes(initialContent);
        _onChanged = onChanged;
        _timer = time.CreateTimer(_ => CheckNow(), null, interval, interval);
    }

    public string Path { get; }

    /// <summary>Reads the file once and reports its content if it changed; a missing or locked file is skipped.</summary>
    public void CheckNow()
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(Path);
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        // File.ReadAllText, which loaded the initial content, drops a UTF-8 byte order mark; so must a reload,
        // or the mark would read as part of the first key.
        var preamble = System.Text.Encoding.UTF8.Preamble;
        if (content.AsSpan().StartsWith(preamble))
        {
            content = content[preamble.Length..];
        }

        lock (_lock)
        {
            if (content.AsSpan().SequenceEqual(_lastContent))
            {
                return;
            }

            _lastContent = content;
            _onChanged(System.Text.Encoding.UTF8.GetString(content));
        }
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>Reads a configuration file at start-up; an unreadable file is a configuration error naming it.</summary>
    public static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationFileException($"{path}: cannot be read: {e.Message}");
        }
    }
}
