using Suite.Host.CommandLine;

namespace Suite.Host.Tests.Hosting;

public sealed class SuiteCommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("suite-host-flags-").FullName;

    [Fact]
    public void Parse_NoFlags_UsesTheDemoNextToTheBinaryAndTheDefaultPorts()
    {
        var options = SuiteCommandLine.Parse([]);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "examples", "demo-cluster.yaml"), options.ClusterFile);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "examples", "picker-profile.yaml"), options.ConfigFile);
        Assert.Null(options.Simulators);
        Assert.Equal("127.0.0.1", options.Address);
        Assert.Equal(
            (8080, 9002, 9003, 9004, 9090),
            (options.GatewayPort, options.ExtProcPort, options.HealthPort, options.QueuePort, options.MetricsPort));
    }

    [Fact]
    public void Parse_EveryFlag_SetsItsOption()
    {
        var cluster = File(_directory, "cluster.yaml");
        var profile = File(_directory, "profile.yaml");

        var options = SuiteCommandLine.Parse(
        [
            "--cluster-file", cluster, "--config-file", profile, "--simulators", "0", "--address", "0.0.0.0",
            "--gateway-port", "8081", "--extproc-port", "9102", "--health-port", "9103", "--queue-port", "9104", "--metrics-port=9190",
        ]);

        Assert.Equal(
            new SuiteHostOptions
            {
                ClusterFile = cluster,
                ConfigFile = profile,
                Simulators = 0,
                Address = "0.0.0.0",
                GatewayPort = 8081,
                ExtProcPort = 9102,
                HealthPort = 9103,
                QueuePort = 9104,
                MetricsPort = 9190,
            },
            options);
    }

    [Fact]
    public void Parse_RelativeClusterFile_IsResolvedAgainstTheWorkingDirectory()
    {
        var cluster = File(_directory, "relative.yaml");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, cluster);

        var options = SuiteCommandLine.Parse(["--cluster-file", relative]);

        Assert.Equal(cluster, options.ClusterFile);
    }

    [Theory]
    [InlineData(new[] { "--foo", "1" }, "unknown option '--foo'; run with --help for the list.")]
    [InlineData(new[] { "-x", "1" }, "unknown option '-x'; run with --help for the list.")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'; flags are '--name value'. Run with --help for the list.")]
    [InlineData(new[] { "--gateway-port", "8081", "--simulators" }, "--simulators needs a value.")]
    [InlineData(new[] { "--simulators", "many" }, "--simulators must be a number of pods per pool (0-250), not 'many'.")]
    [InlineData(new[] { "--simulators", "251" }, "--simulators must be a number of pods per pool (0-250), not '251'.")]
    [InlineData(new[] { "--simulators", "-1" }, "--simulators must be a number of pods per pool (0-250), not '-1'.")]
    [InlineData(new[] { "--gateway-port", "70000" }, "--gateway-port must be a TCP port (0-65535; 0 picks a free one), not '70000'.")]
    [InlineData(new[] { "--extproc-port", "x" }, "--extproc-port must be a TCP port (0-65535; 0 picks a free one), not 'x'.")]
    [InlineData(new[] { "--health-port", "-3" }, "--health-port must be a TCP port (0-65535; 0 picks a free one), not '-3'.")]
    [InlineData(new[] { "--queue-port", "1.5" }, "--queue-port must be a TCP port (0-65535; 0 picks a free one), not '1.5'.")]
    [InlineData(new[] { "--metrics-port", "" }, "--metrics-port must be a TCP port (0-65535; 0 picks a free one), not ''.")]
    [InlineData(new[] { "--address", "localhost" }, "--address must be an IP address such as 127.0.0.1, not 'localhost'.")]
    public void Parse_BadFlag_NamesIt(string[] args, string message)
    {
        var error = Assert.Throws<SuiteConfigurationException>(() => SuiteCommandLine.Parse(args));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("--cluster-file")]
    [InlineData("--config-file")]
    public void Parse_MissingFile_NamesTheFlagAndTheFullPath(string flag)
    {
        var missing = Path.Combine(_directory, "missing.yaml");

        var error = Assert.Throws<SuiteConfigurationException>(() => SuiteCommandLine.Parse([flag, missing]));

        Assert.Equal($"{flag}: file '{missing}' not found.", error.Message);
    }

    [Theory]
    [InlineData("--help", true)]
    [InlineData("-h", true)]
    [InlineData("--simulators", false)]
    public void WantsHelp_AsksForTheUsageOnlyWithAHelpFlag(string arg, bool wanted) =>
        Assert.Equal(wanted, SuiteCommandLine.WantsHelp([arg]));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string File(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        System.IO.File.WriteAllText(path, "");
        return path;
    }
}
