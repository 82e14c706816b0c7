using System.Diagnostics;
using System.Globalization;

namespace Suite.Collector.Load.Cost;

/// <summary>One TCP connection's kernel counters (<c>ss -i</c>).</summary>
internal readonly record struct TcpCounters(long DataSegmentsOut, long BytesSent, long BytesReceived);

/// <summary>What a process's connections to one port carried between two readings.</summary>
/// <param name="DataSegmentsOut">Segments carrying data that the process sent: one per scrape, as each GET is one small write.</param>
/// <param name="Closed">Connections open at the first reading and gone at the second: their last counts are missed.</param>
internal sealed record TcpTraffic(long DataSegmentsOut, long BytesSent, long BytesReceived, int Connections, int Opened, int Closed);

/// <summary>
/// Counts the collector's scrapes from outside, without its cooperation: every established TCP connection that the
/// process holds to the fleet's port, with its kernel counters, from <c>ss -tinp</c>. A GET for <c>/metrics</c> is
/// one write of about 70 bytes with Nagle off, so the data segments it sent are its requests; bytes sent per
/// segment in the report checks that.
/// </summary>
internal static class TcpConnectionCounters
{
    /// <summary>Connections keyed by their two addresses, or null when <c>ss</c> cannot be run.</summary>
    public static async Task<Dictionary<string, TcpCounters>?> ReadAsync(int pid, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ss") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-H", "-t", "-i", "-n", "-p", "state", "established", $"( dport = :{port} )" })
        {
            start.ArgumentList.Add(arg);
        }

        string output;
        try
        {
            using var ss = Process.Start(start)!;
            var reading = ss.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = await ss.StandardError.ReadToEndAsync(cancellationToken);
            output = await reading;
            await ss.WaitForExitAsync(cancellationToken);
            if (ss.ExitCode != 0)
            {
                return null;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no ss on this machine
        }

        return Parse(output, pid);
    }

    public static TcpTraffic Between(Dictionary<string, TcpCounters> before, Dictionary<string, TcpCounters> after)
    {
        long segments = 0, sent = 0, received = 0;
        var opened = 0;
        foreach (var (connection, now) in after)
        {
            // A connection opened inside the window started from zero.
            var then = before.GetValueOrDefault(connection);
            opened += before.ContainsKey(connection) ? 0 : 1;
            segments += now.DataSegmentsOut - then.DataSegmentsOut;
            sent += now.BytesSent - then.BytesSent;
            received += now.BytesReceived - then.BytesReceived;
        }

        var closed = before.Keys.Count(connection => !after.ContainsKey(connection));
        return new TcpTraffic(segments, sent, received, after.Count, opened, closed);
    }

    // With "state established" ss prints per socket: "Recv-Q Send-Q local peer users:((...pid=N...))", then an
    // indented line of "key:value" counters; counters that are zero are left out.
    private static Dictionary<string, TcpCounters> Parse(string output, int pid)
    {
        var connections = new Dictionary<string, TcpCounters>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                current = fields.Length >= 5 && line.Contains($"pid={pid},", StringComparison.Ordinal) ? $"{fields[2]} {fields[3]}" : null;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            long segments = 0, sent = 0, received = 0;
            foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = token.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !long.TryParse(token.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    continue;
                }

                switch (token[..colon])
                {
                    case "data_segs_out":
                        segments = value;
                        break;
                    case "bytes_sent":
                        sent = value;
                        break;
                    case "bytes_received":
                        received = value;
                        break;
                }
            }

            connections[current] = new TcpCounters(segments, sent, received);
            current = null;
        }

        return connections;
    }
}
