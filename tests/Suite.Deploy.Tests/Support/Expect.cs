namespace Suite.Deploy.Tests.Support;

internal static class Expect
{
    /// <summary>Passes on no problems; otherwise fails listing every problem, one a line, so one run shows them all.</summary>
    public static void NoProblems(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0)
        {
            Assert.Fail($"{list.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, list)}");
        }
    }
}
