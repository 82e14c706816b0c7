namespace Suite.Deploy.Tests.Support;

/// <summary>The repository the tests run from: the folder holding Suite.sln, above the test binaries.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    /// <summary>An absolute path from a repository-relative one written with '/'.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>A repository-relative path with '/', as messages and kubectl arguments use it.</summary>
    public static string Relative(string absolute) => Path.GetRelativePath(Root, absolute).Replace(Path.DirectorySeparatorChar, '/');

    public static string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Suite.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Suite.sln above {AppContext.BaseDirectory}");
    }
}
